Feature: Searching the catalogue

  Scenario: Everything for tea
    When I search for "tea"
    Then I find "tea, teapot, cups"

  Scenario: Case does not matter
    When I search for "HONEY"
    Then I find "honey"

  Scenario: Nothing of the kind
    When I search for "coffee"
    Then I find nothing
