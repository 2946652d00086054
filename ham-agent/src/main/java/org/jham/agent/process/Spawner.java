package org.jham.agent.process;

import java.io.File;
import java.util.List;

/** Starts processes and reports their ends: natively when the helper is built, else through the JDK. */
interface Spawner extends AutoCloseable {
    /**
     * Starts {@code argv} (argv[0] an existing executable) with stdin from /dev/null and output
     * appended to {@code output}. A {@code held} child (an entity's instance) is killed by a
     * native spawner if the HAM dies before it confirms it with {@link Child#saved()}: the HAM
     * taking over, which knows only the saved state, would start another.
     *
     * @throws org.jham.HamException ENOENT, EACCES or EIO when it cannot be started
     */
    Child spawn(List<String> argv, File output, boolean held);

    /** What the activity log and docs call this spawner. */
    String describe();

    @Override
    void close();
}
