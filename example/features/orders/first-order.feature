Feature: Order numbers
  The day's orders are numbered from 1. The shop keeps the sequence in memory, so this feature and
  gifts/gift-order.feature would collide if they ran in one process; in containers of their own they do not.

  Scenario: The day's first order
    Given a cart with 1 tea
    When I place the order
    Then the order number is 1
