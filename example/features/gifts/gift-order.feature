Feature: Gift orders
  A gift order is wrapped, and numbered like any other order (see orders/first-order.feature).

  Scenario: The day's first order is a gift
    Given a cart with 1 honey
    When I place the order as a gift
    Then the order is gift-wrapped
    And the order number is 1
