import { NamesystemError } from '../errors';

/** FSNamesystem's tip for a safe mode an administrator turned on (there is no startup safe mode: nothing to wait for). */
export const SAFE_MODE_TIP = 'Safe mode is ON. It was turned on manually. Use "hdfs dfsadmin -safemode leave" to turn safe mode off.';

/** HDFS's checkNameNodeSafeMode: "Cannot <what>. Name node is in safe mode." and the tip. */
export const safeModeRefusal = (what: string): NamesystemError =>
  new NamesystemError('SafeMode', `Cannot ${what}. Name node is in safe mode.\n${SAFE_MODE_TIP}`);

/**
 * Throws HDFS's SafeModeException when the safe-mode state a transaction
 * read (the time it was entered, null while off) says it is on.
 */
export function refuseInSafeMode(enteredAt: number | null, what: string): void {
  if (enteredAt !== null) throw safeModeRefusal(what);
}
