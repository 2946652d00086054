package org.jham.agent.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.jham.Errno;
import org.jham.HamException;
import org.jham.HamNode;
import org.junit.jupiter.api.Test;

/** What hamctrl attach-jvm checks before it touches a JVM. */
class AgentLoaderTest {
    @Test
    void theAgentArgumentNamesTheEntityAndTheCallersHamUnlessAnOptionDoes() {
        assertEquals("entity=web,node=h:7771,hb=100,restart=yes",
                AgentLoader.agentArgs("web", "h:7771", List.of("hb=100", "restart=yes")));
        assertEquals("entity=web,hb=100,node=other:1", AgentLoader.agentArgs("web", "h:7771", List.of("hb=100,node=other:1")));
        assertEquals("entity=web,node=" + HamNode.of(null).key(), AgentLoader.agentArgs("web", null, List.of()));
    }

    @Test
    void badOptionsAreRefusedBeforeAnyJvmIsTouched() {
        HamException e = assertThrows(HamException.class, () -> AgentLoader.load(ProcessHandle.current().pid(),
                "entity=web,hb=5", AgentLoader.DEFAULT_WAIT));
        assertEquals("EINVAL: hb=5: below HAMHBEATMIN (10 ms)", e.getMessage());
    }

    @Test
    void onlyALiveJvmOtherThanThisOneIsAttachedTo() {
        assertEquals(Errno.ESRCH, assertThrows(HamException.class, () -> AgentLoader.checkJvm(Integer.MAX_VALUE)).errno());
        assertEquals(Errno.ESRCH, assertThrows(HamException.class, () -> AgentLoader.checkJvm(0)).errno());
        HamException self = assertThrows(HamException.class, () -> AgentLoader.checkJvm(ProcessHandle.current().pid()));
        assertEquals(Errno.EINVAL, self.errno());
    }
}
