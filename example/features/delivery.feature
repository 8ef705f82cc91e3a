Feature: Delivery
  Delivery costs 4.95, and is free from 50.00.
  This feature fails on purpose: the shop charges delivery at exactly 50.00 (a > that should be >=).

  Scenario: A small order pays for delivery
    Given a cart with 1 teapot
    Then delivery costs 4.95
    And the total is 36.95

  Scenario: Free from 50.00 exactly
    Given a cart with 1 teapot
    And a cart with 4 tea
    Then the subtotal is 50.00
    And delivery is free

  Scenario: Free above 50.00
    Given a cart with 1 teapot
    And a cart with 1 cups
    And a cart with 1 tea
    Then delivery is free
    And the total is 52.49
