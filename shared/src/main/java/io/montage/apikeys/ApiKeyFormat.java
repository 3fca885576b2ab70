package io.montage.apikeys;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The shape of a Montage API key: {@code mtg_live_} + 43 base62 characters (256 bits from a CSPRNG) + a 6-character
 * base62 CRC-32 of everything before it. The checksum lets a typo or a truncated paste be rejected without a
 * database lookup (and lets secret scanners recognise real keys); the type prefix says what the string is.
 */
public final class ApiKeyFormat {

    public static final String PREFIX = "mtg_live_";
    static final int SECRET_LENGTH = 43;
    static final int CHECKSUM_LENGTH = 6;
    /** Characters of the secret kept in the clear for an indexed lookup: 10 base62 characters, ~59 bits. */
    static final int LOOKUP_LENGTH = 10;

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final Pattern SHAPE = Pattern.compile(
            "^" + PREFIX + "([0-9A-Za-z]{" + SECRET_LENGTH + "})([0-9A-Za-z]{" + CHECKSUM_LENGTH + "})$");
    private static final Pattern LOOKUP_START = Pattern.compile("^[0-9A-Za-z]{1," + LOOKUP_LENGTH + "}$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeyFormat() {
    }

    /** A parsed key whose checksum matched. */
    public record ParsedKey(String lookupPrefix, byte[] hash) {
    }

    /** Why a string is not a usable key, before any database lookup. */
    public enum Defect { MALFORMED, BAD_CHECKSUM }

    public static String generate() {
        byte[] entropy = new byte[32];
        RANDOM.nextBytes(entropy);
        String secret = base62(new BigInteger(1, entropy), SECRET_LENGTH);
        String body = PREFIX + secret;
        return body + checksum(body);
    }

    /** The key's lookup prefix and hash, or the defect that makes it unusable. */
    public static Result parse(String key) {
        if (key == null) {
            return new Result(null, Defect.MALFORMED);
        }
        Matcher m = SHAPE.matcher(key);
        if (!m.matches()) {
            return new Result(null, Defect.MALFORMED);
        }
        String body = PREFIX + m.group(1);
        if (!checksum(body).equals(m.group(2))) {
            return new Result(null, Defect.BAD_CHECKSUM);
        }
        return new Result(new ParsedKey(m.group(1).substring(0, LOOKUP_LENGTH), sha256(key)), null);
    }

    /** Whether {@code text} could begin a key's lookup prefix: 1 to {@value #LOOKUP_LENGTH} base62 characters. */
    static boolean isLookupPrefixStart(String text) {
        return text != null && LOOKUP_START.matcher(text).matches();
    }

    /** Either a parsed key or a defect. */
    public record Result(ParsedKey key, Defect defect) {
        public Optional<ParsedKey> parsed() {
            return Optional.ofNullable(key);
        }
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String checksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        return base62(BigInteger.valueOf(crc.getValue()), CHECKSUM_LENGTH);
    }

    private static String base62(BigInteger value, int width) {
        StringBuilder out = new StringBuilder();
        BigInteger base = BigInteger.valueOf(ALPHABET.length());
        while (value.signum() > 0) {
            BigInteger[] qr = value.divideAndRemainder(base);
            out.append(ALPHABET.charAt(qr[1].intValue()));
            value = qr[0];
        }
        while (out.length() < width) {
            out.append(ALPHABET.charAt(0));
        }
        return out.reverse().toString();
    }
}
