/**
 * The brands' logo files as the deployment publishes them. The build writes
 * `logos/` beside the pack (generated/, then dist/): each file under its
 * content-hashed name, and `upload.json` with those files as base64 and the
 * code of the small function that puts them into the logo bucket (a
 * CloudFormation custom resource, in serverless.yml and in the CDK construct
 * alike). A team that hosts the logos itself copies `logos/*.png` to its own
 * address and passes it as logoBaseUrl (docs/templates.md, "Logos").
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readShippedLogo } from './brand-logo-file.js';
import type { PackSource } from './pack-source.js';

export const LOGOS_DIR = 'logos';
export const LOGO_UPLOAD_FILE = 'upload.json';

/** One object of the logo bucket, as the custom resource receives it. */
export interface LogoObject {
  Key: string;
  ContentType: 'image/png';
  /** The file, base64. */
  Body: string;
}

/** Every shipped logo of the pack's brands, by its published name. */
export function logoObjects(source: Pick<PackSource, 'brandFiles'>): LogoObject[] {
  const objects: LogoObject[] = [];
  for (const [id, file] of source.brandFiles) {
    for (const [key, path] of readShippedLogo(id, dirname(file.file))?.paths ?? []) {
      objects.push({ Key: key, ContentType: 'image/png', Body: readFileSync(path).toString('base64') });
    }
  }
  return objects;
}

/** Writes `<outDir>/logos/`: the files and `upload.json` ({ handler, objects }). Replaces what an earlier build wrote. */
export function writeLogoAssets(source: Pick<PackSource, 'brandFiles'>, outDir: string): LogoObject[] {
  const dir = join(outDir, LOGOS_DIR);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const objects = logoObjects(source);
  for (const object of objects) writeFileSync(join(dir, object.Key), Buffer.from(object.Body, 'base64'));
  writeFileSync(join(dir, LOGO_UPLOAD_FILE), `${JSON.stringify({ handler: LOGO_UPLOAD_HANDLER, objects })}\n`);
  return objects;
}

/**
 * The custom resource's function (inline code, nodejs22.x, CommonJS): puts
 * each object into the bucket on create and update, and removes them on
 * delete. Names are content-hashed, so an update adds the new files and keeps
 * the old ones, which emails already delivered still load. It answers
 * CloudFormation on the pre-signed ResponseURL in every case, so a failure
 * fails the deployment instead of leaving it waiting an hour.
 */
export const LOGO_UPLOAD_HANDLER = `const { S3Client, PutObjectCommand, DeleteObjectCommand } = require('@aws-sdk/client-s3');
const https = require('node:https');
const s3 = new S3Client({});
function answer(event, status, reason) {
  const body = JSON.stringify({
    Status: status,
    Reason: reason,
    PhysicalResourceId: 'brand-logos',
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  });
  return new Promise((resolve) => {
    const request = https.request(event.ResponseURL, { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } }, (response) => {
      response.resume();
      response.on('end', resolve);
    });
    request.on('error', resolve);
    request.end(body);
  });
}
exports.handler = async (event) => {
  try {
    const bucket = event.ResourceProperties.Bucket;
    const objects = event.ResourceProperties.Objects || [];
    for (const object of objects) {
      if (event.RequestType === 'Delete') await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.Key }));
      else await s3.send(new PutObjectCommand({ Bucket: bucket, Key: object.Key, Body: Buffer.from(object.Body, 'base64'), ContentType: object.ContentType, CacheControl: 'public, max-age=31536000, immutable' }));
    }
    await answer(event, 'SUCCESS', objects.length + ' logo files');
  } catch (error) {
    await answer(event, 'FAILED', String((error && error.message) || error).slice(0, 300));
  }
};
`;
