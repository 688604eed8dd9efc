/** Extended attributes as every front door names them (Hadoop's XAttr). */
/** XAttrProto.XAttrNamespaceProto */
export enum XAttrNamespace {
  USER = 0,
  TRUSTED = 1,
  SECURITY = 2,
  SYSTEM = 3,
  RAW = 4,
}

/** XAttrSetFlagProto */
export const XAttrSetFlag = { CREATE: 1, REPLACE: 2 } as const;

export interface XAttr {
  readonly namespace: XAttrNamespace;
  readonly name: string;
  readonly value?: Buffer | undefined;
}
