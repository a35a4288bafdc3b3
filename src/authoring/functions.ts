/**
 * The pack's three functions: each has a door in `handlers/<name>.ts` and a
 * bundle in `dist/<name>.js`. The build, the local stack and the benchmark
 * all read this list.
 */
export const FUNCTIONS = ['custom-message', 'custom-email-sender', 'custom-sms-sender'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

/** The two functions that run in sender mode. */
export const SENDER_FUNCTIONS = ['custom-email-sender', 'custom-sms-sender'] as const satisfies readonly FunctionName[];

/** The user pool trigger each function is attached to. */
export const TRIGGER: Record<FunctionName, string> = {
  'custom-message': 'CustomMessage',
  'custom-email-sender': 'CustomEmailSender',
  'custom-sms-sender': 'CustomSMSSender',
};

/**
 * The folder beside the bundles that holds the template pack's per-locale and
 * per-brand files, read on first use (src/runtime/render/lazy-pack.ts): every
 * function ships it with its bundle.
 */
export const PACK_FILES_DIR = 'pack-files';
