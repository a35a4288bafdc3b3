import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOGO_UPLOAD_HANDLER, type LogoObject, writeLogoAssets } from '../../src/authoring/logo-assets.js';
import { readPackSource } from '../../src/authoring/pack-source.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Sent {
  command: string;
  input: Record<string, unknown>;
}

/** The custom resource's code, run as Lambda would run it, with S3 replaced by a recorder (or a failure). */
function uploadHandler(sent: Sent[], failWith?: string): (event: unknown) => Promise<void> {
  class Command {
    constructor(readonly input: Record<string, unknown>) {}
  }
  const s3 = {
    S3Client: class {
      async send(command: Command) {
        if (failWith) throw new Error(failWith);
        sent.push({ command: command.constructor.name, input: command.input });
      }
    },
    PutObjectCommand: class PutObjectCommand extends Command {},
    DeleteObjectCommand: class DeleteObjectCommand extends Command {},
  };
  const module = { exports: {} as { handler?: (event: unknown) => Promise<void> } };
  // The response URL is https in AWS; the test's stand-in listens on plain loopback HTTP.
  const load = (name: string) => (name === '@aws-sdk/client-s3' ? s3 : name === 'node:https' ? http : undefined);
  new Function('require', 'exports', 'module', LOGO_UPLOAD_HANDLER)(load, module.exports, module);
  if (!module.exports.handler) throw new Error('no handler');
  return module.exports.handler;
}

/** A loopback stand-in for CloudFormation's pre-signed response URL; resolves with the answer it was sent. */
async function responseUrl(): Promise<{ url: string; answer: Promise<Record<string, unknown>>; close: () => void }> {
  let resolve: (value: Record<string, unknown>) => void = () => undefined;
  const answer = new Promise<Record<string, unknown>>((done) => {
    resolve = done;
  });
  const server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      expect(request.method).toBe('PUT');
      response.end();
      resolve(JSON.parse(body));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/response?signed`, answer, close: () => server.close() };
}

const OBJECT: LogoObject = { Key: 'acme-logo-0123456789.png', ContentType: 'image/png', Body: 'iVBORw0K' };

function event(type: string, url: string) {
  return {
    RequestType: type,
    ResponseURL: url,
    StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/auth/1',
    RequestId: 'request-1',
    LogicalResourceId: 'BrandLogos',
    ResourceProperties: { ServiceToken: 'arn', Bucket: 'logo-bucket', Objects: [OBJECT] },
  };
}

describe('the logo files the deployment publishes', () => {
  it('writes each shipped logo under its name, and their upload with the custom resource code', () => {
    const out = mkdtempSync(join(tmpdir(), 'ctp-logos-'));
    dirs.push(out);
    const objects = writeLogoAssets(readPackSource('templates'), out);
    expect(objects).toHaveLength(4);
    expect(readdirSync(join(out, 'logos')).sort()).toEqual(
      [...objects.map((object) => object.Key), 'upload.json'].sort(),
    );
    const upload = JSON.parse(readFileSync(join(out, 'logos', 'upload.json'), 'utf8'));
    expect(upload).toEqual({ handler: LOGO_UPLOAD_HANDLER, objects });
    for (const object of objects) {
      expect(readFileSync(join(out, 'logos', object.Key))).toEqual(Buffer.from(object.Body, 'base64'));
    }
  });

  it('puts every file on create and update, cached for a year, and answers SUCCESS', async () => {
    for (const type of ['Create', 'Update']) {
      const sent: Sent[] = [];
      const response = await responseUrl();
      await uploadHandler(sent)(event(type, response.url));
      expect(sent).toEqual([
        {
          command: 'PutObjectCommand',
          input: {
            Bucket: 'logo-bucket',
            Key: OBJECT.Key,
            Body: Buffer.from(OBJECT.Body, 'base64'),
            ContentType: 'image/png',
            CacheControl: 'public, max-age=31536000, immutable',
          },
        },
      ]);
      expect(await response.answer).toEqual({
        Status: 'SUCCESS',
        Reason: '1 logo files',
        PhysicalResourceId: 'brand-logos',
        StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/auth/1',
        RequestId: 'request-1',
        LogicalResourceId: 'BrandLogos',
      });
      response.close();
    }
  });

  it('removes the files on delete, and answers FAILED with the reason when S3 refuses', async () => {
    const sent: Sent[] = [];
    const deleted = await responseUrl();
    await uploadHandler(sent)(event('Delete', deleted.url));
    expect(sent).toEqual([{ command: 'DeleteObjectCommand', input: { Bucket: 'logo-bucket', Key: OBJECT.Key } }]);
    expect((await deleted.answer).Status).toBe('SUCCESS');
    deleted.close();
    const refused = await responseUrl();
    await uploadHandler([], 'Access Denied')(event('Create', refused.url));
    expect(await refused.answer).toMatchObject({ Status: 'FAILED', Reason: 'Access Denied' });
    refused.close();
  });
});
