/**
 * The logo upload custom resource (src/authoring/logo-assets.ts) against
 * moto's S3 with the AWS SDK the nodejs22.x runtime ships: the files the
 * build writes land in the bucket, as PNGs cached for a year, and a delete
 * removes them. CloudFormation's response URL is a loopback stand-in.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as s3 from '@aws-sdk/client-s3';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGO_UPLOAD_HANDLER, logoObjects } from '../../src/authoring/logo-assets.js';
import { readPackSource } from '../../src/authoring/pack-source.js';
import { type Moto, startMoto } from '../../src/local-stack/moto.js';

let moto: Moto;
let client: S3Client;
const BUCKET = 'brand-logos';

beforeAll(async () => {
  moto = await startMoto();
  client = new S3Client({
    endpoint: moto.url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
}, 60_000);

afterAll(async () => {
  await moto?.stop();
});

/** Runs the inline code as Lambda does, its S3 client pointed at moto. */
function handler(): (event: unknown) => Promise<void> {
  const pointed = {
    ...s3,
    S3Client: class extends S3Client {
      constructor() {
        super({
          endpoint: moto.url,
          region: 'us-east-1',
          forcePathStyle: true,
          credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
        });
      }
    },
  };
  const module = { exports: {} as { handler?: (event: unknown) => Promise<void> } };
  // The response URL is https in AWS; the stand-in listens on plain loopback HTTP.
  const load = (name: string) => (name === '@aws-sdk/client-s3' ? pointed : name === 'node:https' ? http : undefined);
  new Function('require', 'exports', 'module', LOGO_UPLOAD_HANDLER)(load, module.exports, module);
  if (!module.exports.handler) throw new Error('no handler');
  return module.exports.handler;
}

async function invoke(type: 'Create' | 'Delete'): Promise<Record<string, unknown>> {
  let answered: (value: Record<string, unknown>) => void = () => undefined;
  const answer = new Promise<Record<string, unknown>>((done) => {
    answered = done;
  });
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      response.end();
      answered(JSON.parse(body));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await handler()({
    RequestType: type,
    ResponseURL: `http://127.0.0.1:${port}/`,
    StackId: 'stack',
    RequestId: 'request',
    LogicalResourceId: 'BrandLogos',
    ResourceProperties: { Bucket: BUCKET, Objects: logoObjects(readPackSource('templates')) },
  });
  server.close();
  return answer;
}

describe('the logo upload against S3', () => {
  it('puts the shipped logos into the bucket as PNGs cached for a year, and removes them on delete', async () => {
    expect(await invoke('Create')).toMatchObject({ Status: 'SUCCESS', Reason: '4 logo files' });
    const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    const objects = logoObjects(readPackSource('templates'));
    expect((listed.Contents ?? []).map((object) => object.Key).sort()).toEqual(objects.map((o) => o.Key).sort());
    const first = objects[0];
    if (!first) throw new Error('no logo');
    const stored = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: first.Key }));
    expect(stored.ContentType).toBe('image/png');
    expect(stored.CacheControl).toBe('public, max-age=31536000, immutable');
    expect(Buffer.from((await stored.Body?.transformToByteArray()) ?? [])).toEqual(Buffer.from(first.Body, 'base64'));
    expect(await invoke('Delete')).toMatchObject({ Status: 'SUCCESS' });
    expect((await client.send(new ListObjectsV2Command({ Bucket: BUCKET }))).KeyCount).toBe(0);
  });
});
