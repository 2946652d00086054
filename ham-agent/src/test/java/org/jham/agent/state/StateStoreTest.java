package org.jham.agent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.jham.ConditionType;
import org.jham.agent.engine.EntityType;
import org.jham.agent.engine.Image;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The saved state: images encode and decode exactly, replay keeps the last image, removals and compaction. */
class StateStoreTest {
    @TempDir
    Path dir;

    static Image.Entity entity(String name, long pid, int restarts) {
        Image.Spec restart = new Image.Spec("restart", List.of("/bin/sleep 1000"));
        Image.Spec log = new Image.Spec("log", List.of("a message \u00e9 with \"quotes\"", "true", "2"));
        Image.Action a = new Image.Action("again", restart, 0x100, true, 3, 1, List.of());
        Image.Action b = new Image.Action("note", log, 0, false, 7, 2,
                List.of(new Image.Fail("fallback", new Image.Spec("execute", List.of("/bin/true")), 1, 0)));
        Image.Condition c = new Image.Condition("death", ConditionType.CONDDEATH, 0x10, true, 4, 0, 0, 0, 0, 0,
                List.of(a, b));
        Image.Condition r = new Image.Condition("alarms", ConditionType.CONDRAISE, 0, false, 0, 0, 0, 7, 0, 3, List.of());
        Instant t = Instant.parse("2026-11-22T00:00:00.123456789Z");
        return new Image.Entity(name, EntityType.STARTED, 0, true, true, pid, 123456789L, "/bin/sleep 1000", t, null,
                t.plusSeconds(1), restarts, "killed by SIGKILL", List.of(t.plusSeconds(1)), 3, 100_000_000L, 3, 5,
                "MISSEDLOW", 4, List.of(c, r));
    }

    @Test
    void everyFieldOfAnImageSurvivesEncoding() throws IOException {
        Image.Entity e = entity("web", 42, 2);
        assertEquals(e, ImageCodec.decode(ImageCodec.entity(e)).entity());
        assertEquals("web", ImageCodec.decode(ImageCodec.removed("web")).removed());
        Image.Ham h = new Image.Ham(3, 2, 1);
        assertEquals(h, ImageCodec.decode(ImageCodec.ham(h)).ham());
    }

    @Test
    void aRecordOfAnotherFormatIsRefused() {
        byte[] b = ImageCodec.ham(new Image.Ham(1, 0, 0));
        b[0] = 9;
        assertThrows(IOException.class, () -> ImageCodec.decode(b));
        byte[] shortened = java.util.Arrays.copyOf(ImageCodec.entity(entity("x", 1, 0)), 20);
        assertThrows(IOException.class, () -> ImageCodec.decode(shortened));
    }

    @Test
    void replayKeepsTheLastImageOfEachEntityInOrderAndForgetsRemovedOnes() throws IOException {
        try (StateStore s = StateStore.open(dir, false, false)) {
            assertTrue(s.loaded().isEmpty());
            s.ham(new Image.Ham(1, 0, 0));
            s.entity(entity("a", 1, 0));
            s.entity(entity("b", 2, 0));
            s.entity(entity("a", 10, 1));
            s.entity(entity("c", 3, 0));
            s.entityRemoved("b");
            s.ham(new Image.Ham(4, 1, 0));
        }
        try (StateStore s = StateStore.open(dir, false, false)) {
            StateStore.Loaded l = s.loaded();
            assertEquals(List.of(entity("a", 10, 1), entity("c", 3, 0)), l.entities());
            assertEquals(new Image.Ham(4, 1, 0), l.ham().orElseThrow());
            assertTrue(l.damage().isEmpty());
        }
    }

    @Test
    void compactionKeepsTheStateAndLaterChangesFollowIt() throws IOException {
        try (StateStore s = StateStore.open(dir, true, false)) {
            for (int i = 0; i < 50; i++) {
                s.entity(entity("e" + (i % 5), i, i));
            }
            s.entityRemoved("e4");
            s.compact();
            assertEquals(0, s.logBytes());
            s.entity(entity("e0", 1000, 9));
        }
        try (StateStore s = StateStore.open(dir, false, false)) {
            List<Image.Entity> l = s.loaded().entities();
            assertEquals(List.of(entity("e0", 1000, 9), entity("e1", 46, 46), entity("e2", 47, 47),
                    entity("e3", 48, 48)), l);
        }
    }

    @Test
    void freshErasesTheSavedState() throws IOException {
        try (StateStore s = StateStore.open(dir, false, false)) {
            s.entity(entity("a", 1, 0));
        }
        try (StateStore s = StateStore.open(dir, false, true)) {
            assertTrue(s.loaded().isEmpty());
        }
        try (StateStore s = StateStore.open(dir, false, false)) {
            assertTrue(s.loaded().isEmpty(), "erased for good, not only ignored once");
        }
    }

    @Test
    void aTornLastRecordIsReportedAndWhatCameBeforeIsRestored() throws IOException {
        try (StateStore s = StateStore.open(dir, false, false)) {
            s.entity(entity("a", 1, 0));
            s.entity(entity("b", 2, 0));
        }
        Path log;
        try (Stream<Path> files = Files.list(dir.resolve("journal"))) {
            log = files.filter(p -> p.getFileName().toString().startsWith("log-")).findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
            f.setLength(f.length() - 10); // the HAM died in the middle of writing b
        }
        try (StateStore s = StateStore.open(dir, false, false)) {
            assertEquals(List.of(entity("a", 1, 0)), s.loaded().entities());
            assertTrue(s.loaded().damage().isPresent());
            s.entity(entity("c", 3, 0));
        }
        try (StateStore s = StateStore.open(dir, false, false)) {
            assertEquals(List.of(entity("a", 1, 0), entity("c", 3, 0)), s.loaded().entities(),
                    "appends after the repair are read");
            assertTrue(s.loaded().damage().isEmpty());
        }
    }
}
