package org.multiwebsocket.it.services;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.multiwebsocket.service.Service;

/** Bean Validation on the params type and on the method parameter. */
@Service(value = "/test/validated/", description = "Validates its params")
public class Validated {

    public record Signup(@NotBlank String name, @Email String email, @Positive int age) {
    }

    public String call(@NotNull @Valid Signup signup) {
        return "welcome " + signup.name();
    }
}
