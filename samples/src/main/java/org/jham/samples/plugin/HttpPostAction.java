package org.jham.samples.plugin;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.jham.Errno;
import org.jham.HamException;
import org.jham.spi.ActionEvent;
import org.jham.spi.ActionPlugin;
import org.jham.spi.PluginAction;
import org.jham.spi.PluginContext;

/**
 * The action type {@code HTTP_POST}: tells a web hook what fired by posting the event as JSON.
 *
 * <p>Arguments: {@code URL [timeout=MS]}, the URL {@code http://} or {@code https://} with a host,
 * the timeout in milliseconds ({@value #DEFAULT_TIMEOUT_MILLIS} by default, at most
 * {@value #MAX_TIMEOUT_MILLIS}: an action runs in its condition's lane and should be quick), e.g.
 * {@code condition.actionCustom("hook", "HTTP_POST", "http://127.0.0.1:8080/ham timeout=500", 0)}.
 *
 * <p>Each run posts {@code {"entity", "conditionPath", "actionPath", "event", "pid", "time"
 * (ISO-8601), "detail"}} with {@code Content-Type: application/json} over HTTP/1.1, without
 * following redirects, and succeeds on a 2xx answer; a connection failure, the timeout or any
 * other status (named in the message) is the action's failure.
 *
 * <p>One HTTP client serves all the plugin's actions: made in the {@code @PostConstruct} method,
 * dropped in the {@code @PreDestroy} one (an action run after that fails). Thread-safe.
 */
public final class HttpPostAction implements ActionPlugin {
    public static final String TYPE = "HTTP_POST";
    public static final int DEFAULT_TIMEOUT_MILLIS = 2000;
    public static final int MAX_TIMEOUT_MILLIS = 60_000;

    private static final String USAGE = "http[s]://host[:port]/path [timeout=MS]";

    private volatile PluginContext context;
    private volatile HttpClient client;

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public void init(PluginContext context) {
        this.context = context;
    }

    /** Called by the HAM after {@link #init}: makes the client the actions share. */
    @PostConstruct
    void start() {
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        context.log(1, TYPE + " ready");
    }

    /** Called by the HAM when it stops: the actions fail from now on. */
    @PreDestroy
    void stop() {
        client = null;
    }

    /**
     * {@inheritDoc}
     *
     * @throws HamException EINVAL naming the bad URL, timeout or extra argument
     */
    @Override
    public PluginAction create(String args) {
        String a = args == null ? "" : args.strip();
        if (a.isEmpty()) {
            throw new HamException(Errno.EINVAL, TYPE + " needs a URL: " + USAGE);
        }
        String[] parts = a.split("\\s+");
        if (parts.length > 2 || parts.length == 2 && !parts[1].startsWith("timeout=")) {
            throw new HamException(Errno.EINVAL, TYPE + " arguments '" + args + "' are not " + USAGE);
        }
        URI uri = url(parts[0]);
        int timeout = parts.length == 2 ? timeoutMillis(parts[1].substring("timeout=".length()))
                : DEFAULT_TIMEOUT_MILLIS;
        return new Post(this, uri, timeout);
    }

    private static URI url(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new HamException(Errno.EINVAL, TYPE + " URL '" + text + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new HamException(Errno.EINVAL, TYPE + " URL '" + text + "' is not http:// or https://");
        }
        if (uri.getHost() == null) {
            throw new HamException(Errno.EINVAL, TYPE + " URL '" + text + "' has no (valid) host");
        }
        try {
            HttpRequest.newBuilder(uri);
        } catch (IllegalArgumentException e) {
            throw new HamException(Errno.EINVAL, TYPE + " URL '" + text + "' cannot be posted to: " + e.getMessage());
        }
        return uri;
    }

    private static int timeoutMillis(String text) {
        int ms;
        try {
            ms = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            ms = -1;
        }
        if (ms < 1 || ms > MAX_TIMEOUT_MILLIS) {
            throw new HamException(Errno.EINVAL, TYPE + " timeout '" + text + "' is not 1.." + MAX_TIMEOUT_MILLIS
                    + " milliseconds");
        }
        return ms;
    }

    /** The JSON body for {@code e}. */
    static String json(ActionEvent e) {
        StringBuilder sb = new StringBuilder(256).append('{');
        field(sb, "entity").append(quoted(e.entity())).append(',');
        field(sb, "conditionPath").append(quoted(e.conditionPath())).append(',');
        field(sb, "actionPath").append(quoted(e.actionPath())).append(',');
        field(sb, "event").append(quoted(e.event())).append(',');
        field(sb, "pid").append(e.pid()).append(',');
        field(sb, "time").append(quoted(e.time() == null ? null : e.time().toString())).append(',');
        field(sb, "detail").append(quoted(e.detail()));
        return sb.append('}').toString();
    }

    private static StringBuilder field(StringBuilder sb, String name) {
        return sb.append('"').append(name).append("\":");
    }

    /** {@code s} as a JSON string (RFC 8259 escapes), or {@code null}. */
    static String quoted(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                case '\b':
                    sb.append("\\b");
                    break;
                case '\f':
                    sb.append("\\f");
                    break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }

    /** One configured HTTP_POST action. Immutable. */
    private static final class Post implements PluginAction {
        private final HttpPostAction plugin;
        private final URI uri;
        private final int timeoutMillis;

        Post(HttpPostAction plugin, URI uri, int timeoutMillis) {
            this.plugin = plugin;
            this.uri = uri;
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public String describe() {
            return "POST " + uri + " (timeout " + timeoutMillis + " ms)";
        }

        @Override
        public void run(ActionEvent event) throws IOException, InterruptedException {
            HttpClient c = plugin.client;
            if (c == null) {
                throw new IllegalStateException(TYPE + " is not started: no HTTP client");
            }
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofMillis(timeoutMillis))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json(event), StandardCharsets.UTF_8))
                    .build();
            HttpResponse<Void> response;
            try {
                response = c.send(request, HttpResponse.BodyHandlers.discarding());
            } catch (HttpTimeoutException e) {
                throw new IOException("POST " + uri + " timed out after " + timeoutMillis + " ms", e);
            } catch (IOException e) {
                throw new IOException("POST " + uri + " failed: " + causes(e), e);
            }
            int status = response.statusCode();
            if (status < 200 || status > 299) {
                throw new IOException("POST " + uri + " answered HTTP " + status);
            }
        }

        /** The JDK's connect failures often have no message of their own; their causes do. */
        private static String causes(Throwable t) {
            StringBuilder sb = new StringBuilder(t.toString());
            int depth = 0;
            for (Throwable c = t.getCause(); c != null && depth < 5; c = c.getCause(), depth++) {
                sb.append(": ").append(c);
            }
            return sb.toString();
        }
    }
}
