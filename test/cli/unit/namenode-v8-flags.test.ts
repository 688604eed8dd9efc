import { namenodeV8Flags } from '../../../cli/fleet/namenode-child';

describe('namenodeV8Flags', () => {
  test('a namenode child gets 64 MiB semi-spaces unless NODE_OPTIONS already sizes them', () => {
    expect(namenodeV8Flags('')).toEqual(['--max-semi-space-size=64']);
    expect(namenodeV8Flags('--require=x.js')).toEqual(['--max-semi-space-size=64']);
    expect(namenodeV8Flags('--max-semi-space-size=16')).toEqual([]);
  });
});
