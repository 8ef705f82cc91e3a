Feature: Removing from the cart

  Scenario: One pack fewer
    Given a cart with 3 tea
    When I remove 1 tea
    Then the cart holds 2 items
    And the subtotal is 9.00

  Scenario: Changing one's mind
    Given a cart with 3 tea
    And a cart with 1 honey
    When I remove every tea
    Then the cart holds 1 item
    And the subtotal is 8.99

  Scenario: Removing more than there is
    Given a cart with 1 teapot
    When I remove 5 teapot
    Then the cart holds 0 items
