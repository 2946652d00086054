package org.jham;

import static org.jham.HamConstants.HACTIONBREAKONFAIL;
import static org.jham.HamConstants.HACTIONDONOW;
import static org.jham.HamConstants.HCONDINDEPENDENT;
import static org.jham.HamConstants.HCONDNOWAIT;
import static org.jham.HamConstants.HENTITYKEEPONDEATH;
import static org.jham.HamConstants.HREARMAFTERRESTART;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Flag words, types, commands and verbosity operations as jmxterm and JConsole users type them. */
class FlagsTest {

    @Test
    void numbersAndNamesMeanTheSame() {
        int both = HREARMAFTERRESTART | HCONDNOWAIT;
        assertEquals(both, Flags.parse(Flags.Kind.CONDITION, "HREARMAFTERRESTART|HCONDNOWAIT"));
        assertEquals(both, Flags.parse(Flags.Kind.CONDITION, "5"));
        assertEquals(both, Flags.parse(Flags.Kind.CONDITION, "0x5"));
        assertEquals(both, Flags.parse(Flags.Kind.CONDITION, "hrearmafterrestart, HCONDNOWAIT"));
        assertEquals(both, Flags.parse(Flags.Kind.CONDITION, "HREARMAFTERRESTART|4"));
        assertEquals(0, Flags.parse(Flags.Kind.CONDITION, ""));
        assertEquals(0, Flags.parse(Flags.Kind.CONDITION, null));
    }

    @Test
    void aFlagWordIsReadInTheContextOfItsObject() {
        // 0x2 is HCONDINDEPENDENT, HACTIONDONOW and HENTITYKEEPONDEATH depending on the object.
        assertEquals(HCONDINDEPENDENT, Flags.parse(Flags.Kind.CONDITION, "2"));
        assertEquals(HACTIONDONOW, Flags.parse(Flags.Kind.ACTION, "2"));
        assertEquals(HENTITYKEEPONDEATH, Flags.parse(Flags.Kind.ENTITY, "2"));
        assertEquals(Errno.EINVAL, assertThrows(HamException.class,
                () -> Flags.parse(Flags.Kind.ENTITY, "HACTIONDONOW")).errno());
        assertEquals(Errno.EINVAL, assertThrows(HamException.class,
                () -> Flags.parse(Flags.Kind.ACTION, "HCONDNOWAIT")).errno());
    }

    @Test
    void unknownBitsNamesAndNoFlagCallsAreEinval() {
        HamException bits = assertThrows(HamException.class, () -> Flags.parse(Flags.Kind.ACTION, "0x40"));
        assertEquals(Errno.EINVAL, bits.errno());
        assertTrue(bits.getMessage().contains("0x40") && bits.getMessage().contains("HACTIONKEEPONFAIL"), bits.getMessage());
        assertEquals(Errno.EINVAL, assertThrows(HamException.class,
                () -> Flags.parse(Flags.Kind.CONDITION, "HCONDSOMETHING")).errno());
        assertEquals(Errno.EINVAL, assertThrows(HamException.class, () -> Flags.parse(Flags.Kind.NONE, "1")).errno());
        assertEquals(0, Flags.parse(Flags.Kind.NONE, "0"));
    }

    @Test
    void formatsNamesBack() {
        assertEquals("HREARMAFTERRESTART|HACTIONBREAKONFAIL",
                Flags.format(Flags.Kind.ACTION, HREARMAFTERRESTART | HACTIONBREAKONFAIL));
        assertEquals("0", Flags.format(Flags.Kind.ACTION, 0));
        assertEquals("HREARMAFTERRESTART|0x40", Flags.format(Flags.Kind.ACTION, 0x41));
        for (Flags.Kind k : Flags.Kind.values()) {
            for (int bit = 1; bit != 0; bit <<= 1) {
                if ((k.mask() & bit) != 0) {
                    assertEquals(bit, Flags.parse(k, Flags.format(k, bit)), k + " " + bit);
                }
            }
        }
    }

    @Test
    void conditionTypesByNameNumberOrShortName() {
        assertEquals(ConditionType.CONDDEATH, ConditionType.parse("CONDDEATH"));
        assertEquals(ConditionType.CONDDEATH, ConditionType.parse("death"));
        assertEquals(ConditionType.CONDDEATH, ConditionType.parse("1"));
        assertEquals(ConditionType.CONDRAISE, ConditionType.parse("9"));
        for (ConditionType t : ConditionType.values()) {
            assertEquals(t, ConditionType.ofCode(t.code()));
            assertEquals(t, ConditionType.parse(t.name()));
        }
        for (String bad : new String[] {"10", "-1", "CONDNOTHING", "", "x1"}) {
            assertEquals(Errno.EINVAL, assertThrows(HamException.class, () -> ConditionType.parse(bad)).errno(), bad);
        }
        assertTrue(ConditionType.CONDANY.matches(ConditionType.CONDRESTART));
        assertTrue(ConditionType.CONDABNORMALDEATH.isDeath() && ConditionType.CONDDEATH.isDeath());
    }

    @Test
    void controlCommandsAndVerbosityOperations() {
        assertEquals(HamConstants.HGETFLAGS, Flags.parseCommand("HGETFLAGS"));
        assertEquals(HamConstants.HENABLE, Flags.parseCommand("1"));
        assertEquals(Errno.EINVAL, assertThrows(HamException.class, () -> Flags.parseCommand("7")).errno());
        assertEquals(HamConstants.VERBOSE_GET, Flags.parseVerboseOp("VERBOSE_GET"));
        assertEquals(HamConstants.VERBOSE_SET_INCR, Flags.parseVerboseOp("1"));
        assertEquals(Errno.EINVAL, assertThrows(HamException.class, () -> Flags.parseVerboseOp("0")).errno());
    }

    @Test
    void guideValuesArePortedExactly() {
        assertEquals(0, HamConstants.CONDANY);
        assertEquals(6, HamConstants.CONDABNORMALDEATH);
        assertEquals(0x100000, HamConstants.HRECURSE);
        assertEquals(0x8000, HamConstants.HCONDSTATETOINV);
        assertEquals(10_000_000L, HamConstants.HAMHBEATMIN);
    }
}
