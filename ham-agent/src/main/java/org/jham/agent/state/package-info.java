/**
 * The durable store under the HAM's state journal: {@link org.jham.agent.state.Journal}, an
 * append-only, checksummed write-ahead log of opaque records plus periodic snapshots, in
 * generations, so that what the HAM acknowledged survives a {@code kill -9} (and, with fsync, a
 * power loss) and is replayed by the Guardian or the next HAM. What the records mean (entity
 * images, runtime facts) is the engine's business; this package only stores bytes, detects damage
 * and never replays past it.
 *
 * <h2>Files (all in the journal directory)</h2>
 * <ul>
 * <li>{@code snapshot-<g>.jhs}: generation {@code g}'s snapshot: a header, record frames, then a
 *     trailer. A snapshot without a valid trailer is incomplete and never used.</li>
 * <li>{@code log-<g>.jhl}: the records appended after {@code snapshot-<g>}: a header, then
 *     record frames up to the end of the file.</li>
 * <li>{@code *.tmp}: a snapshot being written; never read, deleted on open.</li>
 * <li>{@code *.damaged-<UTC time>}: damaged bytes set aside on open, kept for a person to look at;
 *     never read.</li>
 * <li>{@code journal.lock}: held (an OS file lock) by the one {@code Journal} that has the
 *     directory open; the OS drops it when that process dies.</li>
 * </ul>
 *
 * <h2>Format (big-endian)</h2>
 * <pre>
 * header  = magic:int ("JHLG" log, "JHSS" snapshot) version:int (1) generation:long
 *           crc:int (CRC32C of the 16 bytes before it)                         20 bytes
 * frame   = length:int (0 .. 16 MiB) crc:int (CRC32C of the 4 length bytes, then the payload)
 *           payload:byte[length]
 * trailer = -1:int count:long (frames in the snapshot)
 *           crc:int (CRC32C of every byte of the file before it)               16 bytes, snapshots only,
 *                                                                              and the file ends there
 * </pre>
 */
package org.jham.agent.state;
