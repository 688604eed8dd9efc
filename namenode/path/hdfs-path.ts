import { invalidPath, ioError, NamesystemError } from '../errors';

/** dfs.namenode.fs-limits.max-component-length */
export const MAX_COMPONENT_BYTES = 255;
/** HdfsServerConstants.MAX_PATH_LENGTH, in characters. */
export const MAX_PATH_LENGTH = 8000;
/** HdfsServerConstants.MAX_PATH_DEPTH, in components. */
export const MAX_PATH_DEPTH = 1000;

/** A validated absolute path: its components, root excluded. */
export interface HdfsPath {
  readonly text: string;
  readonly components: readonly string[];
}

/**
 * Validates a path the way the NameNode does (DFSUtil.isValidName plus the
 * component length limit): absolute, no `.`, `..`, `:` or empty components
 * (a trailing `/` is allowed), each name at most 255 UTF-8 bytes. The
 * length and depth limits come first, before the path is split, so a hostile
 * path costs one scan of its text (Hadoop's NameNodeRpcServer.checkPathLength).
 */
export function parsePath(src: string): HdfsPath {
  if (typeof src !== 'string' || !src.startsWith('/')) {
    throw invalidPath(`Invalid path name Path is not absolute: ${String(src)}`);
  }
  // Hadoop answers a plain IOException, with this text.
  if (src.length > MAX_PATH_LENGTH || depthOf(src) > MAX_PATH_DEPTH) {
    throw ioError(`Pathname too long.  Limit ${MAX_PATH_LENGTH} characters, ${MAX_PATH_DEPTH} levels.`);
  }
  const parts = src.split('/');
  const components: string[] = [];
  // Every path is parsed once per call: the whole text is searched once for the rare characters, not each name.
  const odd = src.includes(':') || src.includes('\0');
  for (let i = 1; i < parts.length; i++) {
    const name = parts[i] as string;
    if (name === '') {
      if (i === parts.length - 1) continue;
      throw invalidPath(`Invalid path name Invalid file name: ${src}`);
    }
    if (name === '.' || name === '..' || (odd && (name.includes(':') || name.includes('\0')))) {
      throw invalidPath(`Invalid path name Invalid file name: ${src}`);
    }
    // A UTF-16 code unit is at most 3 UTF-8 bytes: a short name cannot be over the limit, and is not measured.
    const bytes = name.length * 3 <= MAX_COMPONENT_BYTES ? 0 : Buffer.byteLength(name, 'utf8');
    if (bytes > MAX_COMPONENT_BYTES) {
      throw new NamesystemError(
        'PathComponentTooLong',
        `The maximum path component name limit of ${name} in directory ${'/' + components.join('/')} is exceeded: limit=${MAX_COMPONENT_BYTES} length=${bytes}`,
      );
    }
    components.push(name);
  }
  // No empty name but a trailing one got here: the text is src without its trailing '/'.
  return { text: src.length > 1 && src.endsWith('/') ? src.slice(0, -1) : src, components };
}

/** Components of an absolute path, counted without splitting it. */
function depthOf(src: string): number {
  let depth = 0;
  for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === 0x2f && i + 1 < src.length) depth++;
  return depth;
}

export const joinPath = (parent: HdfsPath, name: string): HdfsPath =>
  parsePath(parent.components.length === 0 ? `/${name}` : `${parent.text}/${name}`);

export const parentOf = (p: HdfsPath): HdfsPath => ({
  text: '/' + p.components.slice(0, -1).join('/'),
  components: p.components.slice(0, -1),
});

export const lastName = (p: HdfsPath): string => p.components[p.components.length - 1] ?? '';

/** True when `inner` lies strictly beneath `outer`. */
export const isStrictlyBelow = (inner: HdfsPath, outer: HdfsPath): boolean =>
  inner.components.length > outer.components.length &&
  outer.components.every((c, i) => inner.components[i] === c);

export const isRoot = (p: HdfsPath): boolean => p.components.length === 0;
