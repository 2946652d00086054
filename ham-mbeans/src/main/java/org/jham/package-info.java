/**
 * The jHAM client API, the Java {@code libham}: {@link org.jham.Ham} connects to a HAM and hands
 * out entity, condition and action handles; {@link org.jham.HamConstants} holds the guide's
 * constants; failures are {@link org.jham.HamException}s carrying an {@link org.jham.Errno}.
 */
package org.jham;
