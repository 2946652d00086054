/**
 * The jHAM client API, the Java {@code libham}: {@link org.jham.Ham} connects to a HAM (one shared,
 * reference-counted {@link org.jham.HamConnection} per node) and hands out
 * {@link org.jham.EntityHandle}, {@link org.jham.ConditionHandle} and {@link org.jham.ActionHandle};
 * {@link org.jham.Names} holds the naming rule; {@link org.jham.HamConstants} holds the guide's
 * constants; failures are {@link org.jham.HamException}s carrying an {@link org.jham.Errno}.
 * Everything here is thread-safe unless its Javadoc says otherwise.
 */
package org.jham;
