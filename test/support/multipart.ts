/** A multipart/form-data body for `app.inject`, built by hand (the same bytes a browser sends). */
import { randomBytes } from 'node:crypto';

export interface FormFile {
  field?: string;
  filename: string;
  contentType?: string;
  content: Buffer | string;
}

export function multipartBody(files: FormFile[]): { payload: Buffer; headers: { 'content-type': string } } {
  const boundary = `----cairn${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const file of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.filename.replace(/"/g, '%22')}"\r\n` +
          `Content-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
