/**
 * Client-side failures of the data path. Their names are what the reports
 * count them by (errorClassOf), so they read like the Java client's.
 */

/** A datanode of the pipeline refused the write or could not be reached before any data was sent. */
export class PipelineSetupError extends Error {
  override readonly name = 'PipelineSetupFailed';

  constructor(
    message: string,
    /** ip:xferPort of the datanode at fault, as the datanode names it (firstBadLink). */
    readonly badNode: string,
  ) {
    super(message);
  }
}

/** A packet was not acknowledged by every datanode of the pipeline. */
export class PipelineAckError extends Error {
  override readonly name = 'PipelineAckFailed';
}

/** Bytes from a datanode did not match their checksums (Hadoop's ChecksumException). */
export class ChecksumError extends Error {
  override readonly name = 'ChecksumException';
}

/** No location of a block could serve it (Hadoop's BlockMissingException). */
export class BlockMissingError extends Error {
  override readonly name = 'BlockMissingException';
}

/** A read ended with fewer (or more) bytes than the namenode said the file holds. */
export class ShortReadError extends Error {
  override readonly name = 'ShortRead';
}

/** complete kept answering false: the last block never reached its minimum replicas. */
export class NotReplicatedError extends Error {
  override readonly name = 'NotEnoughReplicas';
}
