package dev.sluice.relay.smtp.in;

import java.util.Locale;
import java.util.Objects;

/**
 * One command line from a client, split into its verb and the rest.
 *
 * @param verb the command, {@link Verb#UNKNOWN} when not one we know
 * @param argument everything after the verb and one space, untrimmed at the end except CRLF
 */
public record SmtpCommand(Verb verb, String argument) {
  public SmtpCommand {
    Objects.requireNonNull(verb, "verb");
    Objects.requireNonNull(argument, "argument");
  }

  /** The commands of RFC 5321 and the extensions we serve. */
  public enum Verb {
    EHLO,
    HELO,
    MAIL,
    RCPT,
    DATA,
    RSET,
    NOOP,
    QUIT,
    VRFY,
    EXPN,
    HELP,
    STARTTLS,
    AUTH,
    UNKNOWN
  }

  /** Splits a command line (without its CRLF); verbs are case-insensitive (RFC 5321 §2.4). */
  public static SmtpCommand parse(String line) {
    int space = line.indexOf(' ');
    String word = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
    String argument = space < 0 ? "" : line.substring(space + 1);
    Verb verb;
    try {
      verb = word.isEmpty() || word.equals("UNKNOWN") ? Verb.UNKNOWN : Verb.valueOf(word);
    } catch (IllegalArgumentException e) {
      verb = Verb.UNKNOWN;
    }
    return new SmtpCommand(verb, argument);
  }
}
