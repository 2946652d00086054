package org.jham.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Usage mistakes are told as such (exit 2) before hamctrl tries to reach a HAM: none runs here. */
class HamCtlUsageTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "waitfor a/b                | waitfor needs at least 3 arguments",
        "pulse a/b p 1 2 3          | pulse needs at least 6 arguments",
        "fail a/b/c execute         | fail needs at least 3 arguments",
        "condition-raise e c 1 2    | condition-raise needs at least 5 arguments",
        "frobnicate x               | unknown command 'frobnicate'",
        "attach-jvm 123             | attach-jvm needs PID and ENAME",
        "attach-jvm me web          | PID 'me' is not a number"})
    void usageMistakesExit2WithoutAHam(String line, String message) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] argv = ("-node 127.0.0.1:1 " + line.trim()).split(" ");
        int rc = new HamCtl(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(argv);
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, rc, text);
        assertTrue(text.contains(message), text);
        assertTrue(text.contains("usage: hamctrl"), text);
    }
}
