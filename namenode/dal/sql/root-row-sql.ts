import { ROOT_PARENT_ID } from '../../../schema/tables';

/** The root inode's row, which also carries the fleet's safe mode (schema/tables.ts, rootSafeModeColumn). */
export const ROOT_ROW = `parent_id = ${ROOT_PARENT_ID} AND name = ''`;
