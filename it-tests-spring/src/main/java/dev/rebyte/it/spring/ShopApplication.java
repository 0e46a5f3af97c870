package dev.rebyte.it.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot service that knows nothing about Rebyte. Its byte[] work lives in
 * {@code com.acme.shop}, the package the agent is told to include.
 */
@SpringBootApplication(scanBasePackages = {"dev.rebyte.it.spring", "com.acme.shop"})
public class ShopApplication {
  public static void main(String[] args) {
    SpringApplication.run(ShopApplication.class, args);
  }
}
