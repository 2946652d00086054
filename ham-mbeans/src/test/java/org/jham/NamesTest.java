package org.jham;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NamesTest {
    private static Errno errno(Runnable r) {
        return assertThrows(HamException.class, r::run).errno();
    }

    @Test
    void aGoodNameIsReturned() {
        assertEquals("inetd", Names.check("entity", "inetd"));
        assertEquals("with space and : = , *", Names.check("entity", "with space and : = , *"));
    }

    @Test
    void nullEmptyAndSlashAreInvalid() {
        assertEquals(Errno.EINVAL, errno(() -> Names.check("entity", null)));
        assertEquals(Errno.EINVAL, errno(() -> Names.check("condition", "")));
        assertEquals(Errno.EINVAL, errno(() -> Names.check("action", "a/b")));
        assertEquals(Errno.EINVAL, errno(() -> Names.check("entity", "/")));
        HamException e = assertThrows(HamException.class, () -> Names.check("condition", "x/y"));
        assertEquals("EINVAL: condition name 'x/y' contains '/'", e.getMessage());
    }

    @Test
    void aNameOf255FitsAnd256IsTooLong() {
        assertEquals(255, Names.check("entity", "n".repeat(255)).length());
        HamException e = assertThrows(HamException.class, () -> Names.check("entity", "n".repeat(256)));
        assertEquals(Errno.ENAMETOOLONG, e.errno());
        assertTrue(e.getMessage().contains("256 characters"), e.getMessage());
    }

    @Test
    void theCombinedPathIsLimitedTo255() {
        String fits = "a".repeat(255 - "svc/death/".length());
        assertEquals(255, Names.checkPath("svc", "death", fits).length());
        assertEquals(Errno.ENAMETOOLONG, errno(() -> Names.checkPath("svc", "death", fits + "a")));
        assertEquals(Errno.ENAMETOOLONG, errno(() -> Names.checkPath("e".repeat(128), "c".repeat(128))));
    }

    @Test
    void theGlobalEntityHasAnEmptyPart() {
        assertEquals("/death/log", Names.path(null, "death", "log"));
        assertEquals("/death", Names.path("", "death"));
        String fits = "c".repeat(254);
        assertEquals(255, Names.checkPath(null, fits).length());
        assertEquals(Errno.ENAMETOOLONG, errno(() -> Names.checkPath(null, fits + "c")));
    }

    @Test
    void globalNames() {
        assertTrue(Names.isGlobal(null));
        assertTrue(Names.isGlobal(""));
        assertTrue(Names.isGlobal("/"));
        assertFalse(Names.isGlobal("inetd"));
        assertFalse(Names.isGlobal(" "));
    }
}
