package org.jham.samples;

import static org.jham.HamConstants.CONDDETACH;
import static org.jham.HamConstants.CONDDEATH;
import static org.jham.HamConstants.CONDRESTART;
import static org.jham.HamConstants.HCONDINDEPENDENT;
import static org.jham.HamConstants.HREARMAFTERRESTART;

import java.time.Duration;
import javax.management.Notification;
import javax.management.NotificationFilterSupport;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.jham.ActionHandle;
import org.jham.Channel;
import org.jham.ConditionHandle;
import org.jham.EntityHandle;
import org.jham.Errno;
import org.jham.Ham;
import org.jham.HamConnection;
import org.jham.HamException;
import org.jham.Pulse;
import org.jham.mbean.ObjectNames;

/**
 * The guide's "A client example" ({@code regevent.c}) in Java: a client that learns of events
 * through pulses on its own channel and a signal. It assumes, as the guide does, that the entities
 * {@code inetd} (with a death condition {@code death}, as {@link SimpleRestart} makes it) and
 * {@code Fs-nfs2} (with a death condition {@code Death}, as {@link CompoundRestart} makes it)
 * exist; it fails with ENOENT otherwise. It adds:
 * <ul>
 * <li>inetd/death/notifypulsedeath: a pulse when inetd dies;</li>
 * <li>inetd/detach (CONDDETACH)/notifypulsedetach: a pulse when inetd is detached, which ends
 *     this client;</li>
 * <li>Fs-nfs2/DeathSep (CONDDEATH, HCONDINDEPENDENT)/notifysignaldeath: a signal when Fs-nfs2
 *     dies, sent at once whatever the other death lists wait for;</li>
 * <li>Fs-nfs2/Death/delayednfsdeathpulse: a pulse at the end of the existing death list, so it
 *     comes only after that list's waits (CompoundRestart's Delay1 and Delay2);</li>
 * <li>inetd/restart (CONDRESTART, HCONDINDEPENDENT): an immediate pulse, a waitfor, a delayed
 *     pulse.</li>
 * </ul>
 * Everything is HREARMAFTERRESTART. Then it prints the guide's line for each pulse until inetd is
 * detached. The actions aimed at it on Fs-nfs2 stay: after it exits, the next death of Fs-nfs2
 * makes them fail (no such channel, no such pid), and the HAM removes them.
 *
 * <p>The signal: the guide sends {@code SIGRTMIN+1} and reads {@code si_value} in a
 * {@code SA_SIGINFO} handler. A JVM can do neither: it cannot read {@code siginfo}, and it installs
 * no handler for real-time signals, whose default action terminates it (and
 * {@code sun.misc.Signal} refuses them). So this client asks for {@code SIGWINCH} (28), whose
 * default action is to ignore it: the HAM really sends it (and the action fails once this process
 * is gone), and the JVM is unharmed. Code and value reach Java through the {@code jham.signal}
 * notification the HAM emits from {@code jham:type=Ham} for every signal it sends; this client
 * keeps those addressed to its pid.
 *
 * <pre>
 * java -cp ... org.jham.samples.EventNotification [-node HOST:PORT] [-delay MS]
 * -delay: the waitfor between the two restart pulses (default 6532 ms, the guide's)
 * </pre>
 */
public final class EventNotification {
    /** QNX's {@code _PULSE_CODE_MINAVAIL}: the first pulse code for applications. */
    static final int PULSE_CODE_MINAVAIL = 0;
    static final int PCODEINETDDEATH = PULSE_CODE_MINAVAIL + 1;
    static final int PCODEINETDDETACH = PULSE_CODE_MINAVAIL + 2;
    static final int PCODENFSDELAYED = PULSE_CODE_MINAVAIL + 3;
    static final int PCODEINETDRESTART1 = PULSE_CODE_MINAVAIL + 4;
    static final int PCODEINETDRESTART2 = PULSE_CODE_MINAVAIL + 5;
    /** SIGWINCH: ignored by default, so a JVM survives it (see the class comment). */
    static final int MYSIG = 28;

    private EventNotification() {
    }

    public static void main(String[] args) throws InterruptedException {
        String node = null;
        int delay = 6532;
        try {
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                switch (args[i]) {
                    case "-node" -> node = args[i + 1];
                    case "-delay" -> delay = Integer.parseInt(args[i + 1]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("EventNotification: " + e.getMessage());
            System.err.println("usage: EventNotification [-node HOST:PORT] [-delay MS]");
            System.exit(2);
            return;
        }
        try {
            System.exit(run(node, delay));
        } catch (HamException e) {
            System.err.println("EventNotification: " + e.getMessage());
            if (e.errno() == Errno.ENOENT) {
                System.err.println("EventNotification: this example assumes the entities \"inetd\" and \"Fs-nfs2\""
                        + " exist: run SimpleRestart (named inetd) and CompoundRestart first");
            }
            System.exit(1);
        }
    }

    private static int run(String node, int delay) throws InterruptedException {
        HamConnection conn = Ham.connect(node);
        try (Channel channel = conn.channel()) {
            // The guide's pid and chid: where pulses (and the signal) are to be sent.
            long pid = channel.pid();
            int chid = channel.chid();
            int value = 13;

            // Assumes there is already an entity named "inetd" with a condition "death".
            ConditionHandle chdl = Ham.conditionHandle(node, "inetd", "death", 0);
            ActionHandle ahdl = chdl.actionNotifyPulse("notifypulsedeath", null, pid, chid, PCODEINETDDEATH, value,
                    HREARMAFTERRESTART);
            ahdl.free();
            chdl.free();
            EntityHandle ehdl = Ham.entityHandle(node, "inetd", 0);
            chdl = ehdl.condition(CONDDETACH, "detach", HREARMAFTERRESTART);
            ahdl = chdl.actionNotifyPulse("notifypulsedetach", null, pid, chid, PCODEINETDDETACH, value,
                    HREARMAFTERRESTART);
            ahdl.free();
            chdl.free();
            ehdl.free();

            int fsnfsValue = 18; // the value we expect when fs-nfs2 dies
            int scode = 0;
            NotificationListener sigHandler = listenForSignals(conn, pid, fsnfsValue);

            // Assumes there is an entity named "Fs-nfs2". An independent condition: its actions
            // are not held up by waitfors in the other lists.
            ehdl = Ham.entityHandle(node, "Fs-nfs2", 0);
            chdl = ehdl.condition(CONDDEATH, "DeathSep", HCONDINDEPENDENT | HREARMAFTERRESTART);
            ahdl = chdl.actionNotifySignal("notifysignaldeath", null, pid, MYSIG, scode, fsnfsValue,
                    HREARMAFTERRESTART);
            ahdl.free();
            chdl.free();
            ehdl.free();

            // Added to a condition that is not HCONDNOWAIT and whose list we do not know: it may
            // have waits in it, so this notification may come late.
            chdl = Ham.conditionHandle(node, "Fs-nfs2", "Death", 0);
            ahdl = chdl.actionNotifyPulse("delayednfsdeathpulse", null, pid, chid, PCODENFSDELAYED, value,
                    HREARMAFTERRESTART);
            ahdl.free();
            chdl.free();

            // We force this condition to be independent of all others.
            ehdl = Ham.entityHandle(node, "inetd", 0);
            chdl = ehdl.condition(CONDRESTART, "restart", HREARMAFTERRESTART | HCONDINDEPENDENT);
            ahdl = chdl.actionNotifyPulse("notifyrestart_imm", null, pid, chid, PCODEINETDRESTART1, value,
                    HREARMAFTERRESTART);
            ahdl.free();
            ahdl = chdl.actionWaitfor("delay", null, delay, HREARMAFTERRESTART);
            ahdl.free();
            ahdl = chdl.actionNotifyPulse("notifyrestart_delayed", null, pid, chid, PCODEINETDRESTART2, value,
                    HREARMAFTERRESTART);
            ahdl.free();
            chdl.free();
            ehdl.free();

            System.out.println("EventNotification: pid " + pid + ", channel " + chid + " on " + conn.node().key()
                    + ": receiving pulses (SIGWINCH for the signal, restart delay " + delay + " ms)");
            int status = receive(conn, channel);
            stopListening(conn, sigHandler);
            return status;
        } finally {
            Ham.disconnect(node);
        }
    }

    /** The guide's MsgReceivePulse loop; 0 once inetd was detached, 1 when the HAM is gone. */
    private static int receive(HamConnection conn, Channel channel) throws InterruptedException {
        while (true) {
            Pulse pulse = channel.receive(Duration.ofSeconds(5));
            if (pulse == null) {
                try {
                    conn.ham().getHamPid(); // still there? (the guide exits when MsgReceivePulse fails)
                } catch (HamException e) {
                    System.err.println("EventNotification: lost the HAM: " + e.getMessage());
                    return 1;
                }
                continue;
            }
            switch (pulse.code()) {
                case PCODEINETDDEATH -> System.out.println("Inetd Death Pulse");
                case PCODENFSDELAYED -> System.out.println("Fs-nfs2 died: this is the possibly delayed pulse");
                case PCODEINETDDETACH -> {
                    System.out.println("Inetd detached, so quitting");
                    return 0;
                }
                case PCODEINETDRESTART1 -> System.out.println("Inetd Restart Pulse: Immediate");
                case PCODEINETDRESTART2 -> System.out.println("Inetd Restart Pulse: Delayed");
                default -> {
                    // Not one of ours: ignored, as the guide's switch does.
                }
            }
        }
    }

    /**
     * The guide's MySigHandler, fed by the HAM's {@code jham.signal} notifications for this pid
     * (called on the JMX connector's notification thread).
     */
    private static NotificationListener listenForSignals(HamConnection conn, long pid, int fsnfsValue) {
        NotificationFilterSupport signals = new NotificationFilterSupport();
        signals.enableType(ObjectNames.NOTIF_SIGNAL);
        NotificationListener handler = (Notification n, Object handback) -> {
            if (!(n.getUserData() instanceof CompositeData d) || (Long) d.get("pid") != pid) {
                return;
            }
            int value = (Integer) d.get("value");
            String text = String.format("Received signal %d, with code = %d, value %d", (Integer) d.get("signal"),
                    (Integer) d.get("code"), value);
            if (value == fsnfsValue) {
                text += System.lineSeparator() + "FS-nfs2 died, this is the notify signal";
            }
            System.out.println(text); // one call: the main thread prints too
        };
        try {
            conn.mbeanServer().addNotificationListener(ObjectNames.HAM, handler, signals, null);
        } catch (Exception e) {
            throw HamException.fromWire(e);
        }
        return handler;
    }

    private static void stopListening(HamConnection conn, NotificationListener handler) {
        try {
            conn.mbeanServer().removeNotificationListener(ObjectNames.HAM, handler);
        } catch (Exception e) {
            throw HamException.fromWire(e);
        }
    }
}
