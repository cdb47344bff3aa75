package dev.brigade.conn;

import static dev.brigade.conn.ConnState.CLOSED;
import static dev.brigade.conn.ConnState.DISCARD_BODY;
import static dev.brigade.conn.ConnState.HANDLER;
import static dev.brigade.conn.ConnState.KEEPALIVE;
import static dev.brigade.conn.ConnState.LINGER;
import static dev.brigade.conn.ConnState.READ_BODY;
import static dev.brigade.conn.ConnState.READ_REQUEST_LINE;
import static dev.brigade.conn.ConnState.SUSPENDED;
import static dev.brigade.conn.ConnState.WRITE_COMPLETION;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The state machine's moves, as DESIGN.md draws them: every move listed here is allowed and every
 * other one is refused (a refused move is a bug that {@code Connection.transition} stops loudly).
 */
class ConnStateTest {

    /** From each state, where a connection may go; why, in a word. */
    private static final Map<ConnState, Set<ConnState>> MOVES = Map.of(
            READ_REQUEST_LINE, EnumSet.of(
                    HANDLER,            // a head parsed
                    WRITE_COMPLETION,   // a bad head answered by the server (400, 413, ...)
                    CLOSED),            // the client left or timed out
            READ_BODY, EnumSet.of(HANDLER, WRITE_COMPLETION, DISCARD_BODY, CLOSED),
            DISCARD_BODY, EnumSet.of(WRITE_COMPLETION, CLOSED),
            HANDLER, EnumSet.of(READ_BODY, WRITE_COMPLETION, DISCARD_BODY, SUSPENDED, CLOSED),
            SUSPENDED, EnumSet.of(HANDLER, READ_BODY, WRITE_COMPLETION, DISCARD_BODY, CLOSED),
            WRITE_COMPLETION, EnumSet.of(
                    READ_REQUEST_LINE,  // pipelined bytes wait
                    KEEPALIVE, LINGER, CLOSED),
            KEEPALIVE, EnumSet.of(READ_REQUEST_LINE, CLOSED),
            LINGER, EnumSet.of(CLOSED),
            CLOSED, EnumSet.noneOf(ConnState.class));

    @Test
    void exactlyTheDesignedMovesAreAllowed() {
        List<String> wrong = new ArrayList<>();
        for (ConnState from : ConnState.values()) {
            for (ConnState to : ConnState.values()) {
                boolean designed = MOVES.get(from).contains(to);
                if (from.canMoveTo(to) != designed) {
                    wrong.add(from + " -> " + to + (designed ? " refused" : " allowed"));
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void noStateButClosedIsADeadEndAndClosedIsFinal() {
        for (ConnState s : ConnState.values()) {
            assertThat(s.canMoveTo(CLOSED)).as("%s can close", s).isEqualTo(s != CLOSED);
        }
        assertThat(EnumSet.allOf(ConnState.class)).noneMatch(CLOSED::canMoveTo);
    }
}
