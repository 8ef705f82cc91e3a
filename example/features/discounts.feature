Feature: Discount codes

  Scenario: Welcome discount
    Given a cart with 1 teapot
    When I use the code WELCOME20
    Then the discount is 6.40
    And the total is 30.55

  Scenario: Tea lovers' code
    Given a cart with 2 tea
    When I use the code TEA10
    Then the discount is 0.90
    And the total is 13.05

  Scenario: A code that does not exist
    Given a cart with 1 honey
    When I use the code FREE
    Then I am told "unknown code FREE"
    And the discount is 0.00
