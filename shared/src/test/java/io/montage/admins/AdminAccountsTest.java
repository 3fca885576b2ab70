package io.montage.admins;

import io.montage.db.Database;
import io.montage.errors.MontageException;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminAccountsTest {

    private final AdminAccounts accounts = SharedContext.bean(AdminAccounts.class);

    @Test
    void theRightPasswordSignsInAndIsRecorded() {
        String name = newName();
        accounts.create(name, AdminUser.ADMIN, "correct horse battery");
        AdminUser user = accounts.authenticate(name, "correct horse battery").orElseThrow();
        assertTrue(user.mayChange());
        assertNotNull(accounts.find(name).orElseThrow().lastLoginAt(), "the sign-in is recorded");
    }

    @Test
    void aWrongPasswordOrAnUnknownNameSignsNoOneIn() {
        String name = newName();
        accounts.create(name, AdminUser.VIEWER, "correct horse battery");
        assertTrue(accounts.authenticate(name, "correct horse batterY").isEmpty());
        assertTrue(accounts.authenticate(newName(), "correct horse battery").isEmpty());
        assertFalse(accounts.authenticate(name, "correct horse battery").orElseThrow().mayChange(), "a viewer");
    }

    @Test
    void onlyAnArgon2idHashIsStored() {
        String name = newName();
        accounts.create(name, AdminUser.ADMIN, "correct horse battery");
        String stored = SharedContext.bean(Database.class).asSystem(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT password_hash FROM admin_users WHERE username = ?")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
        assertTrue(stored.startsWith("$argon2id$"), stored);
        assertFalse(stored.contains("correct horse battery"));
    }

    @Test
    void aChangedPasswordReplacesTheOldOne() {
        String name = newName();
        accounts.create(name, AdminUser.ADMIN, "correct horse battery");
        accounts.setPassword(name, "tr0ub4dor and three");
        assertTrue(accounts.authenticate(name, "correct horse battery").isEmpty());
        assertTrue(accounts.authenticate(name, "tr0ub4dor and three").isPresent());
    }

    @Test
    void badAccountsAreRefusedWithTheirReason() {
        String name = newName();
        accounts.create(name, AdminUser.ADMIN, "correct horse battery");
        assertEquals("admin_user_exists", code(() -> accounts.create(name, AdminUser.ADMIN, "correct horse battery")));
        assertEquals("invalid_admin_password", code(() -> accounts.create(newName(), AdminUser.ADMIN, "short")));
        assertEquals("invalid_admin_role", code(() -> accounts.create(newName(), "root", "correct horse battery")));
        assertEquals("invalid_admin_username", code(() -> accounts.create("Bad Name", AdminUser.ADMIN, "correct horse battery")));
        assertEquals("admin_user_not_found", code(() -> accounts.setPassword(newName(), "correct horse battery")));
    }

    @Test
    void generatedPasswordsAreLongEnoughAndDiffer() {
        String one = AdminAccounts.generatePassword();
        assertTrue(one.length() >= AdminAccounts.MIN_PASSWORD_LENGTH);
        assertFalse(one.equals(AdminAccounts.generatePassword()));
    }

    private static String code(Runnable action) {
        return assertThrows(MontageException.class, action::run).code();
    }

    private static String newName() {
        return "op-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
