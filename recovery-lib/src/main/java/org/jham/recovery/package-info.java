/**
 * The client recovery library of the guide's chapters 5 and 7 ({@code ha_*}, QNX's
 * {@code libha}) for Java: HA-aware connections that, when an operation fails because the
 * connection is stale (the server died, the channel was closed under it), call a client's
 * {@link org.jham.recovery.RecoveryFunction} to repair the connection in place and then retry
 * the operation, so that the caller sees no failure.
 *
 * <ul>
 * <li>{@link org.jham.recovery.HaFileChannel} — {@code ha_open}, {@code ha_creat},
 *     {@code ha_fopen}, {@code ha_reopen}: a file.</li>
 * <li>{@link org.jham.recovery.HaSocket} — {@code ha_ConnectAttach}, {@code ha_ReConnectAttach},
 *     and the {@code MsgSend} cover: a connection to a server (TCP or a Unix domain socket).</li>
 * <li>{@link org.jham.recovery.HaConnection} — what both offer: {@code ha_attach},
 *     {@code ha_detach}, {@code ha_connection_ctrl}, {@code ha_dup}, {@code ha_close}.</li>
 * <li>{@link org.jham.recovery.HaDescriptor} — the generic core, for any other kind of
 *     connection: the recovery mechanism, the stale-failure test, the "recover once for N
 *     concurrent users" rule.</li>
 * <li>{@link org.jham.recovery.StaleConnections} — exactly which failures start a recovery.</li>
 * <li>{@link org.jham.recovery.Ha} — the {@code ha_*} names, for porting C line by line;
 *     {@link org.jham.recovery.HaConstants}, {@link org.jham.recovery.HaException} and
 *     {@link org.jham.recovery.HaErrno} — the guide's constants and errors.</li>
 * </ul>
 *
 * <p>Depends on the JDK only. Every type here is thread-safe. {@code docs/recovery.md} maps the
 * guide to these types.
 */
package org.jham.recovery;
