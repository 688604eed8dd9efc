// The file browser's WebHDFS calls, on this namenode's own /webhdfs/v1 as the signed-in user.
import { currentUser } from './session.js';

/** /webhdfs/v1 URL of `path` for `op` and its parameters, as the signed-in user. */
export function webhdfsUrl(path, op, params = {}) {
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  const q = new URLSearchParams({ op, 'user.name': currentUser(), ...params });
  return `/webhdfs/v1${encoded}?${q}`;
}

/** Calls WebHDFS; a RemoteException answer becomes an Error saying its class and message. */
export async function webhdfs(method, path, op, params = {}) {
  const res = await fetch(webhdfsUrl(path, op, params), { method });
  return answerOf(res);
}

async function answerOf(res) {
  const text = await res.text();
  let body = {};
  try { body = text ? JSON.parse(text) : {}; } catch { body = {}; }
  if (!res.ok) {
    const e = body.RemoteException;
    throw new Error(e ? `${e.exception}: ${e.message}` : `HTTP ${res.status} ${res.statusText}`);
  }
  return body;
}

/**
 * The two-step CREATE: the namenode names a datanode (noredirect=true, so the
 * Location comes in JSON rather than a 307 a browser would follow without the
 * body), then the bytes go to that datanode, which allows this cross-origin PUT.
 */
export async function upload(path, file, overwrite) {
  const { Location } = await webhdfs('PUT', path, 'CREATE', { noredirect: 'true', overwrite: String(overwrite) });
  if (!Location) throw new Error('the namenode named no datanode to write to');
  const res = await fetch(Location, { method: 'PUT', body: file, headers: { 'Content-Type': 'application/octet-stream' } });
  await answerOf(res);
}
