import { NamesystemError } from '../../errors';
import { invalidParamMessage } from '../../../protocol/webhdfs/webhdfs-params';

/** The namenode's IllegalArgumentException (400) for a bad parameter: a NamesystemError, so the one mapping answers it. */
export const illegalArgumentError = (message: string): NamesystemError => new NamesystemError('JavaIllegalArgument', message);

export const invalidParam = (name: string, value: string, why: string): NamesystemError => illegalArgumentError(invalidParamMessage(name, value, why));
