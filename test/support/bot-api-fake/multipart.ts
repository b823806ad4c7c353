// multipart/form-data as bots send it to the Bot API: value fields (objects JSON-encoded) and
// file parts, which a field refers to either directly (photo=<part>) or as attach://<part>.
// Written out here rather than taken from a library so that what grammy really puts on the wire
// (lower-case headers, an unquoted filename) is what is parsed.

export interface FilePart {
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface Multipart {
  fields: Record<string, string>;
  files: Record<string, FilePart>;
}

export function parseMultipart(body: Buffer, contentType: string): Multipart {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!m) throw new Error('multipart body without a boundary');
  const boundary = Buffer.from(`--${m[1] ?? m[2]}`);
  const fields: Record<string, string> = {};
  const files: Record<string, FilePart> = {};
  let at = body.indexOf(boundary);
  while (at >= 0) {
    let start = at + boundary.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    if (body.subarray(start, start + 2).toString() === '\r\n') start += 2;
    const next = body.indexOf(boundary, start);
    if (next < 0) throw new Error('multipart body ends without its closing boundary');
    // The part ends with the CRLF that precedes the next boundary.
    const part = body.subarray(start, next - 2);
    const headEnd = part.indexOf('\r\n\r\n');
    if (headEnd < 0) throw new Error('multipart part without headers');
    const headers = part.subarray(0, headEnd).toString('utf8');
    const content = part.subarray(headEnd + 4);
    const disposition = /content-disposition:\s*form-data;\s*(.*)/i.exec(headers)?.[1] ?? '';
    const name = /name="([^"]*)"/.exec(disposition)?.[1];
    if (name === undefined) throw new Error('multipart part without a name');
    const filename = /filename=(?:"([^"]*)"|([^;\r\n]+))/.exec(disposition);
    if (filename) {
      files[name] = {
        filename: (filename[1] ?? filename[2]).trim(),
        contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? 'application/octet-stream',
        bytes: Buffer.from(content),
      };
    } else {
      fields[name] = content.toString('utf8');
    }
    at = next;
  }
  return { fields, files };
}
