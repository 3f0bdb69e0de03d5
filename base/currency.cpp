// The ISO 4217 table, from Debian's iso-codes 4.15 (/usr/share/iso-codes/json/iso_4217.json):
// a table, not a guess, so that `currency GPB` is an error and `currency USN` a warning.
#include "base/currency.hpp"

#include <algorithm>

namespace slac {

const std::vector<CurrencyInfo>& currencies() {
  static const std::vector<CurrencyInfo> table = {
      {"AED", "UAE Dirham"},
      {"AFN", "Afghani"},
      {"ALL", "Lek"},
      {"AMD", "Armenian Dram"},
      {"ANG", "Netherlands Antillean Guilder"},
      {"AOA", "Kwanza"},
      {"ARS", "Argentine Peso"},
      {"AUD", "Australian Dollar"},
      {"AWG", "Aruban Florin"},
      {"AZN", "Azerbaijan Manat"},
      {"BAM", "Convertible Mark"},
      {"BBD", "Barbados Dollar"},
      {"BDT", "Taka"},
      {"BGN", "Bulgarian Lev"},
      {"BHD", "Bahraini Dinar"},
      {"BIF", "Burundi Franc"},
      {"BMD", "Bermudian Dollar"},
      {"BND", "Brunei Dollar"},
      {"BOB", "Boliviano"},
      {"BOV", "Mvdol"},
      {"BRL", "Brazilian Real"},
      {"BSD", "Bahamian Dollar"},
      {"BTN", "Ngultrum"},
      {"BWP", "Pula"},
      {"BYN", "Belarusian Ruble"},
      {"BZD", "Belize Dollar"},
      {"CAD", "Canadian Dollar"},
      {"CDF", "Congolese Franc"},
      {"CHE", "WIR Euro"},
      {"CHF", "Swiss Franc"},
      {"CHW", "WIR Franc"},
      {"CLF", "Unidad de Fomento"},
      {"CLP", "Chilean Peso"},
      {"CNY", "Yuan Renminbi"},
      {"COP", "Colombian Peso"},
      {"COU", "Unidad de Valor Real"},
      {"CRC", "Costa Rican Colon"},
      {"CUC", "Peso Convertible"},
      {"CUP", "Cuban Peso"},
      {"CVE", "Cabo Verde Escudo"},
      {"CZK", "Czech Koruna"},
      {"DJF", "Djibouti Franc"},
      {"DKK", "Danish Krone"},
      {"DOP", "Dominican Peso"},
      {"DZD", "Algerian Dinar"},
      {"EGP", "Egyptian Pound"},
      {"ERN", "Nakfa"},
      {"ETB", "Ethiopian Birr"},
      {"EUR", "Euro"},
      {"FJD", "Fiji Dollar"},
      {"FKP", "Falkland Islands Pound"},
      {"GBP", "Pound Sterling"},
      {"GEL", "Lari"},
      {"GHS", "Ghana Cedi"},
      {"GIP", "Gibraltar Pound"},
      {"GMD", "Dalasi"},
      {"GNF", "Guinean Franc"},
      {"GTQ", "Quetzal"},
      {"GYD", "Guyana Dollar"},
      {"HKD", "Hong Kong Dollar"},
      {"HNL", "Lempira"},
      {"HRK", "Kuna"},
      {"HTG", "Gourde"},
      {"HUF", "Forint"},
      {"IDR", "Rupiah"},
      {"ILS", "New Israeli Sheqel"},
      {"INR", "Indian Rupee"},
      {"IQD", "Iraqi Dinar"},
      {"IRR", "Iranian Rial"},
      {"ISK", "Iceland Krona"},
      {"JMD", "Jamaican Dollar"},
      {"JOD", "Jordanian Dinar"},
      {"JPY", "Yen"},
      {"KES", "Kenyan Shilling"},
      {"KGS", "Som"},
      {"KHR", "Riel"},
      {"KMF", "Comorian Franc"},
      {"KPW", "North Korean Won"},
      {"KRW", "Won"},
      {"KWD", "Kuwaiti Dinar"},
      {"KYD", "Cayman Islands Dollar"},
      {"KZT", "Tenge"},
      {"LAK", "Lao Kip"},
      {"LBP", "Lebanese Pound"},
      {"LKR", "Sri Lanka Rupee"},
      {"LRD", "Liberian Dollar"},
      {"LSL", "Loti"},
      {"LYD", "Libyan Dinar"},
      {"MAD", "Moroccan Dirham"},
      {"MDL", "Moldovan Leu"},
      {"MGA", "Malagasy Ariary"},
      {"MKD", "Denar"},
      {"MMK", "Kyat"},
      {"MNT", "Tugrik"},
      {"MOP", "Pataca"},
      {"MRU", "Ouguiya"},
      {"MUR", "Mauritius Rupee"},
      {"MVR", "Rufiyaa"},
      {"MWK", "Malawi Kwacha"},
      {"MXN", "Mexican Peso"},
      {"MXV", "Mexican Unidad de Inversion (UDI)"},
      {"MYR", "Malaysian Ringgit"},
      {"MZN", "Mozambique Metical"},
      {"NAD", "Namibia Dollar"},
      {"NGN", "Naira"},
      {"NIO", "Cordoba Oro"},
      {"NOK", "Norwegian Krone"},
      {"NPR", "Nepalese Rupee"},
      {"NZD", "New Zealand Dollar"},
      {"OMR", "Rial Omani"},
      {"PAB", "Balboa"},
      {"PEN", "Sol"},
      {"PGK", "Kina"},
      {"PHP", "Philippine Peso"},
      {"PKR", "Pakistan Rupee"},
      {"PLN", "Zloty"},
      {"PYG", "Guarani"},
      {"QAR", "Qatari Rial"},
      {"RON", "Romanian Leu"},
      {"RSD", "Serbian Dinar"},
      {"RUB", "Russian Ruble"},
      {"RWF", "Rwanda Franc"},
      {"SAR", "Saudi Riyal"},
      {"SBD", "Solomon Islands Dollar"},
      {"SCR", "Seychelles Rupee"},
      {"SDG", "Sudanese Pound"},
      {"SEK", "Swedish Krona"},
      {"SGD", "Singapore Dollar"},
      {"SHP", "Saint Helena Pound"},
      {"SLE", "Leone"},
      {"SLL", "Leone"},
      {"SOS", "Somali Shilling"},
      {"SRD", "Surinam Dollar"},
      {"SSP", "South Sudanese Pound"},
      {"STN", "Dobra"},
      {"SVC", "El Salvador Colon"},
      {"SYP", "Syrian Pound"},
      {"SZL", "Lilangeni"},
      {"THB", "Baht"},
      {"TJS", "Somoni"},
      {"TMT", "Turkmenistan New Manat"},
      {"TND", "Tunisian Dinar"},
      {"TOP", "Pa’anga"},
      {"TRY", "Turkish Lira"},
      {"TTD", "Trinidad and Tobago Dollar"},
      {"TWD", "New Taiwan Dollar"},
      {"TZS", "Tanzanian Shilling"},
      {"UAH", "Hryvnia"},
      {"UGX", "Uganda Shilling"},
      {"USD", "US Dollar"},
      {"USN", "US Dollar (Next day)"},
      {"UYI", "Uruguay Peso en Unidades Indexadas (UI)"},
      {"UYU", "Peso Uruguayo"},
      {"UYW", "Unidad Previsional"},
      {"UZS", "Uzbekistan Sum"},
      {"VED", "Bolívar Soberano"},
      {"VES", "Bolívar Soberano"},
      {"VND", "Dong"},
      {"VUV", "Vatu"},
      {"WST", "Tala"},
      {"XAF", "CFA Franc BEAC"},
      {"XAG", "Silver"},
      {"XAU", "Gold"},
      {"XBA", "Bond Markets Unit European Composite Unit (EURCO)"},
      {"XBB", "Bond Markets Unit European Monetary Unit (E.M.U.-6)"},
      {"XBC", "Bond Markets Unit European Unit of Account 9 (E.U.A.-9)"},
      {"XBD", "Bond Markets Unit European Unit of Account 17 (E.U.A.-17)"},
      {"XCD", "East Caribbean Dollar"},
      {"XDR", "SDR (Special Drawing Right)"},
      {"XOF", "CFA Franc BCEAO"},
      {"XPD", "Palladium"},
      {"XPF", "CFP Franc"},
      {"XPT", "Platinum"},
      {"XSU", "Sucre"},
      {"XTS", "Codes specifically reserved for testing purposes"},
      {"XUA", "ADB Unit of Account"},
      {"XXX", "The codes assigned for transactions where no currency is involved"},
      {"YER", "Yemeni Rial"},
      {"ZAR", "Rand"},
      {"ZMW", "Zambian Kwacha"},
      {"ZWL", "Zimbabwe Dollar"},
  };
  return table;
}

std::optional<CurrencyInfo> find_currency(std::string_view code) {
  const auto& table = currencies();
  auto it = std::lower_bound(table.begin(), table.end(), code,
                             [](const CurrencyInfo& c, std::string_view k) { return c.code < k; });
  if (it == table.end() || it->code != code) return std::nullopt;
  return *it;
}

namespace {

// The currencies of most B2B contracts: the major and the European ones.
constexpr std::string_view common_codes[] = {"AUD", "BRL", "CAD", "CHF", "CNY", "CZK", "DKK", "EUR", "GBP", "HKD", "HUF",
                                             "INR", "JPY", "KRW", "MXN", "NOK", "NZD", "PLN", "SEK", "SGD", "USD", "ZAR"};

// One changed letter, or two neighbours swapped.
bool one_letter_apart(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a == b) return false;
  std::size_t first = 0;
  while (a[first] == b[first]) ++first;
  std::size_t last = a.size() - 1;
  while (a[last] == b[last]) --last;
  if (first == last) return true;
  return last == first + 1 && a[first] == b[last] && a[last] == b[first];
}

}  // namespace

bool special_currency(std::string_view code) {
  // ISO 4217 list A.1's funds, and the X codes that are not a country's money (XAF, XCD,
  // XOF and XPF are).
  static constexpr std::string_view special[] = {"BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI", "UYW",
                                                 "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT",
                                                 "XSU", "XTS", "XUA", "XXX"};
  return std::find(std::begin(special), std::end(special), code) != std::end(special);
}

unsigned minor_unit(std::string_view code) {
  // ISO 4217 list one's minor units, where they are not 2 (as of amendment 176).
  static constexpr std::string_view none[] = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
                                              "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"};
  static constexpr std::string_view three[] = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
  static constexpr std::string_view four[] = {"CLF", "UYW"};
  auto in = [&](const auto& list) { return std::find(std::begin(list), std::end(list), code) != std::end(list); };
  if (in(none)) return 0;
  if (in(three)) return 3;
  if (in(four)) return 4;
  return 2;
}

std::vector<std::string_view> common_currencies_near(std::string_view code) {
  std::vector<std::string_view> out;
  for (std::string_view c : common_codes) {
    if (one_letter_apart(code, c)) out.push_back(c);
  }
  return out;
}

}  // namespace slac
