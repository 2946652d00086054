package org.jham.agent.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.jham.Errno;
import org.jham.HamException;
import org.junit.jupiter.api.Test;

class CommandLineTest {
    private static List<String> argv(String... a) {
        return Arrays.asList(a);
    }

    private static void assertEinval(String line, String... fragments) {
        HamException e = assertThrows(HamException.class, () -> CommandLine.parse(line), String.valueOf(line));
        assertEquals(Errno.EINVAL, e.errno());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    @Test
    void guideExampleWithPlainQuotes() {
        assertEquals(argv("/path with space", "arg1", "arg2", "arg3 with space"),
                CommandLine.parse("'/path with space' arg1 arg2 \"arg3 with space\""));
    }

    @Test
    void guideExampleAsTheGuideWritesIt() {
        // The guide's C string "\'path with space\' arg1 arg2 \"arg3 with space\"" typed literally.
        assertEquals(argv("/path with space", "arg1", "arg2", "arg3 with space"),
                CommandLine.parse("\\'/path with space\\' arg1 arg2 \\\"arg3 with space\\\""));
    }

    @Test
    void guideAttachExample() {
        assertEquals(argv("/usr/sbin/inetd", "-D"), CommandLine.parse("/usr/sbin/inetd -D"));
    }

    @Test
    void splitsOnAnyWhitespaceAndIgnoresTheEnds() {
        assertEquals(argv("/bin/x", "a", "b", "c", "d"), CommandLine.parse("  /bin/x\ta \n b\r\nc   d \t"));
        assertEquals(argv("/bin/x"), CommandLine.parse("/bin/x"));
    }

    @Test
    void quotesConcatenateInsideAWord() {
        assertEquals(argv("/bin/x", "--name=a b"), CommandLine.parse("/bin/x --name=\"a b\""));
        assertEquals(argv("/bin/x", "ab cd'ef"), CommandLine.parse("/bin/x a'b c'd\"'\"ef"));
        assertEquals(argv("/bin/x", "--name=a b"), CommandLine.parse("/bin/x --name=\\\"a b\\\""));
    }

    @Test
    void eachQuoteIsLiteralInsideTheOther() {
        assertEquals(argv("/bin/x", "say \"hi\""), CommandLine.parse("/bin/x 'say \"hi\"'"));
        assertEquals(argv("/bin/x", "it's"), CommandLine.parse("/bin/x \"it's\""));
        // The escaped form inside the other quote is that quote, so literal there too.
        assertEquals(argv("/bin/x", "it's"), CommandLine.parse("/bin/x \"it\\'s\""));
        assertEquals(argv("/bin/x", "a\"b"), CommandLine.parse("/bin/x 'a\\\"b'"));
    }

    @Test
    void escapedQuoteClosesTheQuoteItMatches() {
        assertEquals(argv("/bin/x", "a b", "c"), CommandLine.parse("/bin/x 'a b\\' c"));
        assertEquals(argv("/bin/x", "a b", "c"), CommandLine.parse("/bin/x \\'a b' c"));
    }

    @Test
    void backslashBeforeAnythingElseIsLiteral() {
        assertEquals(argv("/bin/x", "a\\b", "\\n", "c\\"), CommandLine.parse("/bin/x a\\b \\n c\\"));
        assertEquals(argv("/bin/x", "\\\\"), CommandLine.parse("/bin/x \\\\"));
        assertEquals(argv("/bin/x", "a\\b c"), CommandLine.parse("/bin/x 'a\\b c'"));
        assertEquals(argv("/bin/x\\"), CommandLine.parse("/bin/x\\"));
        // A backslash before the backslash of an escaped quote stays: one literal, one quote.
        assertEquals(argv("/bin/x", "\\a b"), CommandLine.parse("/bin/x \\\\'a b'"));
    }

    @Test
    void emptyQuotesAreEmptyArguments() {
        assertEquals(argv("/bin/x", "", "a", ""), CommandLine.parse("/bin/x '' a \"\""));
        assertEquals(argv("/bin/x", ""), CommandLine.parse("/bin/x \\'\\'"));
        assertEquals(argv("/bin/x", "ab"), CommandLine.parse("/bin/x a''b"));
    }

    @Test
    void quotedExecutablePathWithSpaces() {
        assertEquals(argv("/opt/my app/bin/run", "-x"), CommandLine.parse("\"/opt/my app/bin/run\" -x"));
        assertEquals(argv("/opt/my app/bin/run"), CommandLine.parse("/opt/my' app'/bin/run"));
    }

    @Test
    void resultIsUnmodifiable() {
        List<String> a = CommandLine.parse("/bin/x a");
        assertThrows(UnsupportedOperationException.class, () -> a.add("b"));
    }

    @Test
    void nullOrBlankLineIsEinval() {
        assertEinval(null, "null");
        assertEinval("", "empty");
        assertEinval("   \t\n", "empty");
    }

    @Test
    void unterminatedQuoteIsEinval() {
        assertEinval("/bin/x 'abc", "unterminated ' quote", "/bin/x 'abc", "column 8");
        assertEinval("/bin/x \"abc", "unterminated \" quote");
        assertEinval("/bin/x \\'abc", "unterminated ' quote");
        assertEinval("/bin/x \"it's", "unterminated \" quote");
        assertEinval("'/bin/x", "unterminated");
    }

    @Test
    void executableMustBeAnAbsolutePath() {
        assertEinval("inetd -D", "full path required", "'inetd'", "inetd -D");
        assertEinval("./run", "full path required");
        assertEinval("'' /bin/x", "full path required");
        assertEinval("'bin x' a", "full path required");
    }

    @Test
    void formatQuotesOnlyWhereNeeded() {
        assertEquals("/usr/sbin/inetd -D", CommandLine.format(argv("/usr/sbin/inetd", "-D")));
        assertEquals("'/path with space' arg1 arg2 'arg3 with space'",
                CommandLine.format(argv("/path with space", "arg1", "arg2", "arg3 with space")));
        assertEquals("/bin/x '' \"it's\" 'say \"hi\"'", CommandLine.format(argv("/bin/x", "", "it's", "say \"hi\"")));
    }

    @Test
    void formatHandlesTheHardCases() {
        List<List<String>> cases = List.of(
                argv("/bin/x", "a\\'b"),
                argv("/bin/x", "a\\\"b"),
                argv("/bin/x", "both ' and \""),
                argv("/bin/x", "ends with \\"),
                argv("/bin/x", "\\"),
                argv("/bin/x", "\\\\'"),
                argv("/bin/x", "\\ "),
                argv("/bin/x", "'"),
                argv("/bin/x", "\""),
                argv("/bin/x", "\t\n"),
                argv("/bin/x\\", "x"),
                argv("/bin/ x", "--k='v w'\\"));
        for (List<String> a : cases) {
            String line = CommandLine.format(a);
            assertEquals(a, CommandLine.parse(line), "via line " + line);
        }
    }

    @Test
    void formatRejectsNullAndEmpty() {
        assertEquals(Errno.EINVAL, assertThrows(HamException.class, () -> CommandLine.format(null)).errno());
        assertEquals(Errno.EINVAL, assertThrows(HamException.class, () -> CommandLine.format(List.of())).errno());
        assertEquals(Errno.EINVAL,
                assertThrows(HamException.class, () -> CommandLine.format(Arrays.asList("/bin/x", null))).errno());
    }

    @Test
    void formatThenParseRoundTripsRandomArgv() {
        char[] pool = {'a', 'b', 'z', '0', '-', '=', '/', '.', ' ', ' ', '\t', '\n', '\'', '\'', '"', '"', '\\', '\\',
            '$', '*', 'é', '中'};
        Random rnd = new Random(20260521L);
        for (int round = 0; round < 20_000; round++) {
            int n = 1 + rnd.nextInt(5);
            List<String> a = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                StringBuilder s = new StringBuilder(i == 0 ? "/" : "");
                int len = rnd.nextInt(8);
                for (int k = 0; k < len; k++) {
                    s.append(pool[rnd.nextInt(pool.length)]);
                }
                a.add(s.toString());
            }
            String line = CommandLine.format(a);
            assertEquals(a, CommandLine.parse(line), "round " + round + " via line [" + line + "]");
        }
    }

    @Test
    void parseThenFormatThenParseIsStable() {
        // Any line parse accepts is shown as a line that means the same argv.
        char[] pool = {'a', '/', ' ', '\'', '"', '\\', 'x'};
        Random rnd = new Random(7L);
        int accepted = 0;
        for (int round = 0; round < 20_000; round++) {
            StringBuilder s = new StringBuilder("/");
            int len = rnd.nextInt(12);
            for (int k = 0; k < len; k++) {
                s.append(pool[rnd.nextInt(pool.length)]);
            }
            List<String> a;
            try {
                a = CommandLine.parse(s.toString());
            } catch (HamException e) {
                assertEquals(Errno.EINVAL, e.errno());
                continue;
            }
            accepted++;
            assertEquals(a, CommandLine.parse(CommandLine.format(a)), "line [" + s + "]");
        }
        assertTrue(accepted > 1000, "too few accepted lines: " + accepted);
    }
}
