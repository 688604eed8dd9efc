import type { NamespaceIdentity } from '../../schema/namespace-rows';
import type { Query } from './query';

/** `namespace_info`: written once by format. */
export interface NamespaceRepository {
  findIdentity(): Query<NamespaceIdentity | undefined>;
}
