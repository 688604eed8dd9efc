/** The WebHDFS calls the load generator makes outside the measured load (building its namespace), with fetch. */

export function webhdfsPath(path: string, op: string, user: string, extra: Readonly<Record<string, string>> = {}): string {
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return `/webhdfs/v1${encoded}?${new URLSearchParams({ op, 'user.name': user, ...extra }).toString()}`;
}

async function answer(res: Response, what: string): Promise<string> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return text;
}

export async function mkdirs(origin: string, path: string, user: string): Promise<void> {
  await answer(await fetch(`${origin}${webhdfsPath(path, 'MKDIRS', user)}`, { method: 'PUT' }), `MKDIRS ${path}`);
}

/** The datanode URL a namenode's noredirect=true answer names (its JSON `Location`). */
export function locationOf(body: string): URL {
  const location = (JSON.parse(body) as { Location?: unknown }).Location;
  if (typeof location !== 'string') throw new Error(`no Location in ${body.slice(0, 200)}`);
  return new URL(location);
}

/** The two-step CREATE: the namenode names a datanode, the bytes go there. */
export async function createFile(origin: string, path: string, user: string, bytes: Buffer): Promise<void> {
  const step1 = await answer(await fetch(`${origin}${webhdfsPath(path, 'CREATE', user, { noredirect: 'true', overwrite: 'true' })}`, { method: 'PUT' }), `CREATE ${path}`);
  await answer(await fetch(locationOf(step1), { method: 'PUT', body: bytes, headers: { 'Content-Type': 'application/octet-stream' } }), `CREATE ${path} at the datanode`);
}
