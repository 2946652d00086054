package org.jham.agent.process;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jham.Errno;
import org.jham.HamException;

/**
 * The guide's command lines ({@code ham_attach}, {@code ham_action_restart},
 * {@code ham_action_execute}): the FULL path of the executable followed by its arguments,
 * split on whitespace, with quoting:
 * <ul>
 *   <li>a part in single or double quotes is one argument, quotes removed:
 *       {@code 'path with space' arg1 arg2 "arg3 with space"} gives
 *       {@code [path with space, arg1, arg2, arg3 with space]};</li>
 *   <li>a backslash immediately before a quote character counts as that quote, because the guide
 *       writes its quotes as C escapes ({@code \'path with space\'}) and users type them that
 *       way through a shell or jmxterm;</li>
 *   <li>quotes may appear inside a word and concatenate as in a shell
 *       ({@code --name="a b"} gives {@code --name=a b}); inside single quotes double quotes are
 *       literal and vice versa; {@code ''} is an empty argument;</li>
 *   <li>a backslash before anything other than a quote is a literal backslash.</li>
 * </ul>
 * There is no shell: no variables, globbing or redirection. Stateless and thread-safe.
 */
public final class CommandLine {
    private CommandLine() {
    }

    /**
     * Splits a command line into argv.
     *
     * @return an unmodifiable list of at least one element, the first an absolute path
     * @throws HamException EINVAL when the line is null or blank, a quote is not closed, or the
     *                      executable is not an absolute path
     */
    public static List<String> parse(String line) {
        if (line == null) {
            throw new HamException(Errno.EINVAL, "command line is null");
        }
        if (line.isBlank()) {
            throw new HamException(Errno.EINVAL, "command line '" + line + "' is empty");
        }
        List<String> argv = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        // A word exists once any of its characters, or a quote, was seen: '' is an argument.
        boolean inWord = false;
        char quote = 0;
        int quoteColumn = 0;
        int n = line.length();
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < n && isQuote(line.charAt(i + 1))) {
                // The guide's \' and \" are its quotes, so the backslash goes and the quote acts.
                i++;
                c = line.charAt(i);
            }
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (isQuote(c)) {
                quote = c;
                quoteColumn = i + 1;
                inWord = true;
            } else if (isSpace(c)) {
                if (inWord) {
                    argv.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new HamException(Errno.EINVAL, "command line '" + line + "': unterminated " + quote
                    + " quote opened at column " + quoteColumn);
        }
        if (inWord) {
            argv.add(word.toString());
        }
        String exe = argv.get(0);
        if (!exe.startsWith("/")) {
            throw new HamException(Errno.EINVAL, "command line '" + line + "': full path required, executable '"
                    + exe + "' is not an absolute path");
        }
        return Collections.unmodifiableList(argv);
    }

    /**
     * Writes argv as a line that {@link #parse} turns back into the same argv, quoting only
     * where needed (used to show command lines).
     *
     * @throws HamException EINVAL when argv is null or empty or holds a null
     */
    public static String format(List<String> argv) {
        if (argv == null || argv.isEmpty()) {
            throw new HamException(Errno.EINVAL, "argv is " + (argv == null ? "null" : "empty"));
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg == null) {
                throw new HamException(Errno.EINVAL, "argv[" + i + "] is null in " + argv);
            }
            if (i > 0) {
                out.append(' ');
            }
            out.append(formatArg(arg));
        }
        return out.toString();
    }

    private static String formatArg(String arg) {
        if (arg.isEmpty()) {
            return "''";
        }
        if (!needsQuoting(arg)) {
            return arg;
        }
        if (!hasBackslashTrap(arg)) {
            // The readable forms: the whole argument in one pair of quotes.
            if (arg.indexOf('\'') < 0) {
                return "'" + arg + "'";
            }
            if (arg.indexOf('"') < 0) {
                return "\"" + arg + "\"";
            }
        }
        return formatPiecewise(arg);
    }

    /**
     * The general form: single quotes go in double quotes, backslashes stay outside quotes, the
     * rest goes in single quotes where it holds whitespace or double quotes.
     */
    private static String formatPiecewise(String arg) {
        List<String> pieces = new ArrayList<>();
        int n = arg.length();
        int i = 0;
        while (i < n) {
            char c = arg.charAt(i);
            int j = i + 1;
            if (c == '\'') {
                while (j < n && arg.charAt(j) == '\'') {
                    j++;
                }
                pieces.add("\"" + arg.substring(i, j) + "\"");
            } else if (c == '\\') {
                pieces.add("\\");
            } else {
                while (j < n && arg.charAt(j) != '\'' && arg.charAt(j) != '\\') {
                    j++;
                }
                String run = arg.substring(i, j);
                pieces.add(needsQuoting(run) ? "'" + run + "'" : run);
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < pieces.size(); k++) {
            String p = pieces.get(k);
            out.append(p);
            if (p.equals("\\") && k + 1 < pieces.size() && isQuote(pieces.get(k + 1).charAt(0))) {
                // A backslash before a quote would merge with it; doubling it makes the first one
                // literal (it precedes a backslash) and the second one the quote itself.
                out.append('\\');
            }
        }
        return out.toString();
    }

    private static boolean needsQuoting(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isQuote(c) || c == '\\' || isSpace(c)) {
                return true;
            }
        }
        return false;
    }

    /** A backslash that a closing quote, or a quote in the text, would swallow. */
    private static boolean hasBackslashTrap(String s) {
        if (s.endsWith("\\")) {
            return true;
        }
        for (int i = 0; i + 1 < s.length(); i++) {
            if (s.charAt(i) == '\\' && isQuote(s.charAt(i + 1))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isQuote(char c) {
        return c == '\'' || c == '"';
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c);
    }
}
