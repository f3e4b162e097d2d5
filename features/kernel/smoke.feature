@all-boards
Feature: Harness binding
  Scenario: the World knows its board
    Then the scenario runs for a known board
