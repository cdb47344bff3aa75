package dev.brigade.net;

import java.nio.channels.SelectableChannel;

/** A socket the NIO poller can watch: any selectable channel (tests register pipes this way). */
@FunctionalInterface
public interface NioPollable extends Pollable {
    SelectableChannel channel();
}
