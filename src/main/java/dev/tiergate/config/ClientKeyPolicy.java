package dev.tiergate.config;

import dev.tiergate.security.KeyLimits;

/**
 * How client keys apply ({@code clientKeys} in {@code conf/tiergate.json}).
 *
 * @param defaults limits every key of {@code TIERGATE_CLIENT_KEYS} gets
 * @param required client auth is on even while no key is loaded: set it when keys live only in the database, so a
 *                 database outage at start-up cannot leave the gateway open (every request gets 401 until keys load)
 */
public record ClientKeyPolicy(KeyLimits defaults, boolean required) {

  public static final ClientKeyPolicy OPEN = new ClientKeyPolicy(KeyLimits.NONE, false);
}
