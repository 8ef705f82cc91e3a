Feature: Adding to the cart
  Shoppers put products in their cart and see what it comes to.

  Scenario: Two packs of tea
    Given an empty cart
    When I add 2 tea
    Then the cart holds 2 items
    And the subtotal is 9.00

  Scenario Outline: One of each
    Given an empty cart
    When I add 1 <first>
    And I add 1 <second>
    Then the cart holds 2 items
    And the subtotal is <subtotal>

    Examples:
      | first  | second | subtotal |
      | teapot | honey  | 40.99    |
      | tea    | cups   | 20.49    |

  Scenario: A product the shop does not sell
    Given an empty cart
    When I try to add 1 coffee
    Then I am told 'no product "coffee"'
    And the cart holds 0 items
