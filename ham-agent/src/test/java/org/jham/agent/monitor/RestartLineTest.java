package org.jham.agent.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.jham.agent.process.CommandLine;
import org.junit.jupiter.api.Test;

class RestartLineTest {
    private static final Path JAR = Path.of("/opt/jham/ham-agent.jar");
    private static final Path CWD = Path.of("/srv/my app");

    @Test
    void theLineChangesToTheJvmsDirectoryAndKeepsItsArgumentsThroughTheHamsQuoting() {
        List<String> args = List.of("-javaagent:/opt/jham/ham-agent.jar=entity=web,hb=100", "-Dgreeting=hello world",
                "-Dq=it's \"quoted\"", "-cp", "lib/*", "com.acme.Main", "");
        String line = RestartLine.build("/usr/lib/jvm/bin/java", args, CWD, JAR, "entity=web,hb=100");
        List<String> argv = CommandLine.parse(line);
        assertEquals("/bin/sh", argv.get(0));
        assertEquals(List.of("-c", RestartLine.CD_AND_EXEC, "/srv/my app", "/usr/lib/jvm/bin/java"), argv.subList(1, 5));
        assertEquals(args, argv.subList(5, argv.size()));
    }

    @Test
    void anAgentLoadedAnotherWayIsPutOnTheLine() {
        String line = RestartLine.build("/usr/bin/java", List.of("-jar", "app.jar"), CWD, JAR, "entity=web,restart=yes");
        assertEquals(List.of("/bin/sh", "-c", RestartLine.CD_AND_EXEC, "/srv/my app", "/usr/bin/java",
                "-javaagent:/opt/jham/ham-agent.jar=entity=web,restart=yes", "-jar", "app.jar"), CommandLine.parse(line));
    }

    @Test
    void withoutAShellTheLineIsTheJvmsOwn() {
        assertEquals(List.of("/usr/bin/java", "-javaagent:/opt/jham/ham-agent.jar=entity=web", "Main"),
                CommandLine.parse(RestartLine.build("/usr/bin/java", List.of("Main"), null, JAR, "entity=web")));
    }

    @Test
    void theAgentIsRecognisedByItsPathAlsoRelativeToTheWorkingDirectory() {
        assertTrue(RestartLine.hasAgent(List.of("-javaagent:/opt/jham/ham-agent.jar=entity=x"), CWD, JAR));
        assertTrue(RestartLine.hasAgent(List.of("-javaagent:../../opt/jham/ham-agent.jar"), CWD, JAR));
        assertFalse(RestartLine.hasAgent(List.of("-javaagent:/opt/other/agent.jar=entity=x"), CWD, JAR));
        assertFalse(RestartLine.hasAgent(List.of("/opt/jham/ham-agent.jar"), CWD, JAR));
    }

    @Test
    void procCmdlineIsSplitOnNul() {
        byte[] raw = "java\0-cp\0a b\0\0Main\0".getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of("java", "-cp", "a b", "", "Main"), RestartLine.splitCmdline(raw, StandardCharsets.UTF_8));
    }
}
