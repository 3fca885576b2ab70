package io.montage.admins;

import io.montage.db.Database;
import io.montage.errors.MontageException;
import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The console's operators: created by the admin command (the first one by deploy/local/run.sh), signed in by the
 * console. Accounts are platform administration, so everything here runs as the system role.
 */
@Singleton
public class AdminAccounts {

    public static final int MIN_PASSWORD_LENGTH = 12;
    private static final Pattern USERNAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{1,62}$");
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database database;
    private final AdminUserRepository users;

    public AdminAccounts(Database database, AdminUserRepository users) {
        this.database = database;
        this.users = users;
    }

    public AdminUser create(String username, String role, String password) {
        requireUsername(username);
        if (!AdminUser.ADMIN.equals(role) && !AdminUser.VIEWER.equals(role)) {
            throw MontageException.invalid("invalid_admin_role", "role is 'admin' or 'viewer'");
        }
        String hash = PasswordHashing.hash(requirePassword(password));
        return database.asSystem(c -> {
            if (users.findByUsername(username).isPresent()) {
                throw MontageException.conflict("admin_user_exists", "an admin user '" + username + "' exists");
            }
            return users.save(new AdminUser(UUID.randomUUID(), username, role, hash, null, null));
        });
    }

    public void setPassword(String username, String password) {
        String hash = PasswordHashing.hash(requirePassword(password));
        database.asSystem(c -> {
            AdminUser user = users.findByUsername(username).orElseThrow(() -> MontageException.notFound(
                    "admin_user_not_found", "no admin user '" + username + "'"));
            users.update(user.id(), hash);
            return null;
        });
    }

    /** The user whose password this is, with the sign-in recorded; empty for a wrong name or password alike. */
    public Optional<AdminUser> authenticate(String username, String password) {
        if (username == null || password == null) {
            return Optional.empty();
        }
        Optional<AdminUser> user = find(username);
        boolean matches = user.isPresent()
                ? PasswordHashing.matches(password, user.get().passwordHash())
                : PasswordHashing.decoy(password);
        if (!matches) {
            return Optional.empty();
        }
        database.asSystem(c -> {
            users.update(user.get().id(), Instant.now());
            return null;
        });
        return user;
    }

    public Optional<AdminUser> find(String username) {
        return database.asSystem(c -> users.findByUsername(username));
    }

    public List<AdminUser> list() {
        return database.asSystem(c -> users.listOrderByUsername());
    }

    /** A password to show once: 20 characters without look-alikes (0/O, 1/l/I), about 116 bits. */
    public static String generatePassword() {
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }

    private static void requireUsername(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw MontageException.invalid("invalid_admin_username",
                    "username must be 2-63 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit");
        }
    }

    private static String requirePassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH || password.length() > 200) {
            throw MontageException.invalid("invalid_admin_password",
                    "a password must be " + MIN_PASSWORD_LENGTH + "-200 characters");
        }
        return password;
    }
}
