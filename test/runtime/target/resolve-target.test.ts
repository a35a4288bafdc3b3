import { describe, expect, it } from 'vitest';
import { readMessageConfig } from '../../../src/runtime/config.js';
import { parseSenderEvent } from '../../../src/runtime/event/cognito-event.js';
import { embeddedPack } from '../../../src/runtime/render/embedded-pack.js';
import { resolveTarget } from '../../../src/runtime/target/resolve-target.js';
import { senderEvent } from '../../support/events.js';

describe('resolveTarget: the link origin', () => {
  const config = readMessageConfig({ EXTRA_LINK_ORIGINS: 'northwind=https://staging.northwind.example' }, embeddedPack);
  const origin = (linkOrigin: string, brand = 'northwind') =>
    resolveTarget(
      embeddedPack,
      config,
      parseSenderEvent(
        senderEvent('CustomEmailSender_SignUp', 'AA==', { clientMetadata: { brand, linkOrigin } }),
        'customEmailSenderRequestV1',
      ),
      'signUp',
    ).linkOrigin;

  it('ignores an origin neither the brand nor the stage allow-lists, however it is written', () => {
    for (const hostile of [
      'https://evil.example',
      'https://app.northwind.example.evil.example',
      'http://app.northwind.example',
      'javascript:alert(1)',
    ]) {
      expect(origin(hostile)).toBeUndefined();
    }
  });

  it("takes the brand's origins and the stage's extra ones, each for its own brand only", () => {
    expect(origin('https://app.northwind.example')).toBe('https://app.northwind.example');
    expect(origin('https://staging.northwind.example')).toBe('https://staging.northwind.example');
    expect(origin('https://staging.northwind.example', 'default')).toBeUndefined();
  });
});
