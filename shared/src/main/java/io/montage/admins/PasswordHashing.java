package io.montage.admins;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/**
 * Argon2id through password4j, with OWASP's first recommended parameters (19 MiB, 2 passes, 1 lane): about 30 ms
 * per hash here, slow for a guesser, quick for one login. A stored hash names its own parameters, so they can rise
 * later without invalidating existing passwords.
 */
final class PasswordHashing {

    private static final Argon2Function ARGON2ID = Argon2Function.getInstance(19 * 1024, 2, 1, 32, Argon2.ID);
    /** Verified against when the user does not exist, so an unknown name costs what a wrong password costs. */
    private static final String DECOY = hash("not a password of anyone's");

    private PasswordHashing() {
    }

    static String hash(String password) {
        return Password.hash(password).addRandomSalt(16).with(ARGON2ID).getResult();
    }

    static boolean matches(String password, String storedHash) {
        return Password.check(password, storedHash).with(Argon2Function.getInstanceFromHash(storedHash));
    }

    /** Spends a verification's time and answers no. */
    static boolean decoy(String password) {
        matches(password, DECOY);
        return false;
    }
}
