// Currencies (ISO 4217): the codes a contract's `currency` may name, the ones that are
// no money to pay a penalty in, and the common ones a typo is likely to have meant.
#pragma once
#include <optional>
#include <string_view>
#include <vector>

namespace slac {

struct CurrencyInfo {
  std::string_view code;  // "GBP"
  std::string_view name;  // "Pound Sterling"
};

// The ISO 4217 entry of `code` (exact, upper case), or nullopt.
std::optional<CurrencyInfo> find_currency(std::string_view code);
// Every ISO 4217 code, in order.
const std::vector<CurrencyInfo>& currencies();
// ISO 4217's fund codes (`USN`, `CHE`) and its codes of no currency (metals, units of
// account, `XTS` for testing, `XXX`): valid, but not what a penalty is paid in.
bool special_currency(std::string_view code);
// The decimals of the currency's minor unit (ISO 4217): 2 for GBP, 0 for JPY, 3 for
// KWD; 2 for a code ISO gives none (metals, units of account) and for no currency.
unsigned minor_unit(std::string_view code);
// The common currencies one letter from `code` (a changed or swapped letter), best first.
std::vector<std::string_view> common_currencies_near(std::string_view code);

}  // namespace slac
