package io.montage.worker.node;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClaimRoundsTest {

    private static final long POLL = 1_000_000_000L;
    private static final long T0 = 5 * POLL;

    /** A worker whose last round (announcements 3, general 2) found the whole queue empty at T0. */
    private static ClaimRounds drained() {
        ClaimRounds rounds = new ClaimRounds(POLL, 0);
        assertTrue(rounds.due(3, T0));
        rounds.done(3, 2, T0, true, true);
        return rounds;
    }

    @Test
    void aFreedSlotAloneClaimsNothingUntilThePollInterval() {
        ClaimRounds rounds = drained();

        assertFalse(rounds.due(3, T0 + POLL / 2));
        assertTrue(rounds.due(3, T0 + POLL));
    }

    @Test
    void anInteractiveAnnouncementClaimsInteractiveWorkAlone() {
        ClaimRounds rounds = drained();
        long now = T0 + 10;

        assertTrue(rounds.due(4, now), "announcements 3 → 4: a round");
        assertFalse(rounds.generalDue(2, true, now), "general still 2 and the interactive claim emptied its queue");
        rounds.done(4, 2, now, false, false);
        assertFalse(rounds.due(4, now + 10), "the queue is still known empty");
    }

    @Test
    void theGeneralClaimRunsWhenTheInteractiveClaimCannotTellOrGeneralWorkWasAnnounced() {
        ClaimRounds rounds = drained();
        long now = T0 + 10;

        assertTrue(rounds.generalDue(2, false, now), "no free interactive slot: the interactive task may need a general one");
        assertTrue(rounds.generalDue(3, true, now), "general work announced since");
    }

    @Test
    void interactiveTrafficDoesNotKeepTheGeneralClaimAwayPastThePollInterval() {
        ClaimRounds rounds = drained();
        long announcements = 3;
        for (long now = T0 + POLL / 4; now < T0 + POLL; now += POLL / 4) {
            announcements++;
            assertTrue(rounds.due(announcements, now));
            assertFalse(rounds.generalDue(2, true, now));
            rounds.done(announcements, 2, now, false, false);
        }
        assertTrue(rounds.generalDue(2, true, T0 + POLL), "a retry whose backoff is over is found by the poll");
    }

    @Test
    void aGeneralClaimThatFilledItsSlotsRunsAgainAtOnce() {
        ClaimRounds rounds = new ClaimRounds(POLL, 0);
        rounds.done(3, 2, T0, true, false);

        assertTrue(rounds.due(3, T0 + 10));
        assertTrue(rounds.generalDue(2, true, T0 + 10));
    }
}
