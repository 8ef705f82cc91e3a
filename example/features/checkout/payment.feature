Feature: Paying
  The payment provider is slow to answer: this feature takes a few seconds, the others do not.

  Scenario: The provider answers after 3 seconds
    Given a cart with 1 teapot
    When I place the order
    And the payment provider takes 3 seconds to answer
    Then the order is paid
