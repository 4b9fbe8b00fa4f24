// The core's error type: SQLSTATEs are validated so the boundary never builds a garbage code.
#include <gtest/gtest.h>

#include "oversight/core/error.hpp"

using oversight::core::Error;
using oversight::core::is_valid_sqlstate;

TEST(SqlState, AcceptsFiveDigitsAndCapitals) {
	EXPECT_TRUE(is_valid_sqlstate("22023"));
	EXPECT_TRUE(is_valid_sqlstate("OV001"));
	EXPECT_TRUE(is_valid_sqlstate("XX000"));
}

TEST(SqlState, RejectsWrongShapes) {
	EXPECT_FALSE(is_valid_sqlstate(""));
	EXPECT_FALSE(is_valid_sqlstate("2202"));
	EXPECT_FALSE(is_valid_sqlstate("220233"));
	EXPECT_FALSE(is_valid_sqlstate("22o23"));
}

TEST(CoreError, KeepsCodeMessageDetailAndHint) {
	Error e("22023", "bad parameter", "the detail", "the hint");
	EXPECT_STREQ(e.sqlstate(), "22023");
	EXPECT_STREQ(e.what(), "bad parameter");
	EXPECT_EQ(e.detail(), "the detail");
	EXPECT_EQ(e.hint(), "the hint");
}

TEST(CoreError, FallsBackToInternalErrorForInvalidCode) {
	EXPECT_STREQ(Error("nonsense", "m").sqlstate(), "XX000");
	EXPECT_STREQ(Error(nullptr, "m").sqlstate(), "XX000");
}
