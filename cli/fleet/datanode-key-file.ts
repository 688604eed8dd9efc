import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The datanode key file: the fleet's membership secret in hex, readable by
 * its owner only. `nnfleet up` writes it under its data dir for the
 * datanodes it starts; a datanode started by hand is given a copy.
 */
export function writeDatanodeKeyFile(path: string, secret: Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${secret.toString('hex')}\n`, { mode: 0o600 });
}

export function readDatanodeKeyFile(path: string): Buffer {
  const text = readFileSync(path, 'utf8').trim();
  if (!/^([0-9a-f]{2}){16,64}$/i.test(text)) throw new Error(`${path} is not a datanode key file (hex of 16 to 64 bytes)`);
  return Buffer.from(text, 'hex');
}
