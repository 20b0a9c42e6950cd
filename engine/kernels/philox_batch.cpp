#include "philox_batch.hpp"

#include <immintrin.h>

// GCC 12's avx512fintrin.h builds its unmasked intrinsics from masked ones over an undefined
// vector, which -Wmaybe-uninitialized reports at every use: a known false positive.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace flywheel::model {

namespace {

// Random123's constants (philox.h): multipliers and the Weyl key increments.
constexpr std::uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;
constexpr std::uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;
constexpr int kRounds = 10;

using Kernel = void (*)(const Philox::key_type&, std::uint32_t, std::uint32_t, Decision, int,
                        std::uint32_t*, std::uint32_t*);

// One round per pass over the lanes (Random123's _philox4x32round), the key bumped between
// rounds.
void portable(const Philox::key_type& key, std::uint32_t first, std::uint32_t step,
              Decision kind, int n, std::uint32_t* w0, std::uint32_t* w1) {
  for (int i = 0; i < n; ++i) {
    std::uint32_t c0 = first + static_cast<std::uint32_t>(i), c1 = step;
    std::uint32_t c2 = static_cast<std::uint32_t>(kind), c3 = 0;
    std::uint32_t k0 = key[0], k1 = key[1];
    for (int round = 0; round < kRounds; ++round) {
      const std::uint64_t p0 = std::uint64_t{kM0} * c0;
      const std::uint64_t p1 = std::uint64_t{kM1} * c2;
      c0 = static_cast<std::uint32_t>(p1 >> 32) ^ c1 ^ k0;
      c1 = static_cast<std::uint32_t>(p1);
      c2 = static_cast<std::uint32_t>(p0 >> 32) ^ c3 ^ k1;
      c3 = static_cast<std::uint32_t>(p0);
      k0 += kW0;
      k1 += kW1;
    }
    w0[i] = c0;
    w1[i] = c1;
  }
}

// The vector kernels: a 32 x 32 -> 64 bit product of every lane is two multiplies of the even
// lanes (the odd ones shifted down), whose halves are then interleaved back into hi and lo.
#define FLYWHEEL_VECTOR_KERNEL(isa) __attribute__((target(isa), always_inline)) inline

FLYWHEEL_VECTOR_KERNEL("avx2") void mul(__m256i a, __m256i m, __m256i& hi, __m256i& lo) {
  const __m256i even = _mm256_mul_epu32(a, m);
  const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), m);
  hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
  lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
}

FLYWHEEL_VECTOR_KERNEL("avx512f") void mul(__m512i a, __m512i m, __m512i& hi, __m512i& lo) {
  constexpr __mmask16 kOdd = 0xAAAA;
  const __m512i even = _mm512_mul_epu32(a, m);
  const __m512i odd = _mm512_mul_epu32(_mm512_srli_epi64(a, 32), m);
  hi = _mm512_mask_blend_epi32(kOdd, _mm512_srli_epi64(even, 32), odd);
  lo = _mm512_mask_blend_epi32(kOdd, even, _mm512_slli_epi64(odd, 32));
}
#undef FLYWHEEL_VECTOR_KERNEL

// Each kernel works on several vectors at once: a round's multiply has a latency of several
// cycles, and independent vectors fill it.
__attribute__((target("avx2"))) void avx2(const Philox::key_type& key, std::uint32_t first,
                                          std::uint32_t step, Decision kind, int n,
                                          std::uint32_t* w0, std::uint32_t* w1) {
  constexpr int kWidth = 8, kVectors = 2;
  const __m256i m0 = _mm256_set1_epi32(static_cast<int>(kM0));
  const __m256i m1 = _mm256_set1_epi32(static_cast<int>(kM1));
  const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  for (int i = 0; i < n; i += kWidth * kVectors) {
    __m256i c0[kVectors], c1[kVectors], c2[kVectors], c3[kVectors];
    for (int v = 0; v < kVectors; ++v) {
      const auto base = static_cast<int>(first + static_cast<std::uint32_t>(i + v * kWidth));
      c0[v] = _mm256_add_epi32(_mm256_set1_epi32(base), lanes);
      c1[v] = _mm256_set1_epi32(static_cast<int>(step));
      c2[v] = _mm256_set1_epi32(static_cast<int>(kind));
      c3[v] = _mm256_setzero_si256();
    }
    std::uint32_t k0 = key[0], k1 = key[1];
    for (int round = 0; round < kRounds; ++round) {
      const __m256i key0 = _mm256_set1_epi32(static_cast<int>(k0));
      const __m256i key1 = _mm256_set1_epi32(static_cast<int>(k1));
      for (int v = 0; v < kVectors; ++v) {
        __m256i hi0, lo0, hi1, lo1;
        mul(c0[v], m0, hi0, lo0);
        mul(c2[v], m1, hi1, lo1);
        c0[v] = _mm256_xor_si256(_mm256_xor_si256(hi1, c1[v]), key0);
        c1[v] = lo1;
        c2[v] = _mm256_xor_si256(_mm256_xor_si256(hi0, c3[v]), key1);
        c3[v] = lo0;
      }
      k0 += kW0;
      k1 += kW1;
    }
    for (int v = 0; v < kVectors; ++v) {
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(w0 + i + v * kWidth), c0[v]);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(w1 + i + v * kWidth), c1[v]);
    }
  }
}

__attribute__((target("avx512f"))) void avx512(const Philox::key_type& key, std::uint32_t first,
                                               std::uint32_t step, Decision kind, int n,
                                               std::uint32_t* w0, std::uint32_t* w1) {
  constexpr int kWidth = 16, kVectors = 2;
  const __m512i m0 = _mm512_set1_epi32(static_cast<int>(kM0));
  const __m512i m1 = _mm512_set1_epi32(static_cast<int>(kM1));
  const __m512i lanes = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  for (int i = 0; i < n; i += kWidth * kVectors) {
    __m512i c0[kVectors], c1[kVectors], c2[kVectors], c3[kVectors];
    for (int v = 0; v < kVectors; ++v) {
      const auto base = static_cast<int>(first + static_cast<std::uint32_t>(i + v * kWidth));
      c0[v] = _mm512_add_epi32(_mm512_set1_epi32(base), lanes);
      c1[v] = _mm512_set1_epi32(static_cast<int>(step));
      c2[v] = _mm512_set1_epi32(static_cast<int>(kind));
      c3[v] = _mm512_setzero_si512();
    }
    std::uint32_t k0 = key[0], k1 = key[1];
    for (int round = 0; round < kRounds; ++round) {
      const __m512i key0 = _mm512_set1_epi32(static_cast<int>(k0));
      const __m512i key1 = _mm512_set1_epi32(static_cast<int>(k1));
      for (int v = 0; v < kVectors; ++v) {
        __m512i hi0, lo0, hi1, lo1;
        mul(c0[v], m0, hi0, lo0);
        mul(c2[v], m1, hi1, lo1);
        c0[v] = _mm512_ternarylogic_epi32(hi1, c1[v], key0, 0x96);  // hi1 ^ c1 ^ key0
        c1[v] = lo1;
        c2[v] = _mm512_ternarylogic_epi32(hi0, c3[v], key1, 0x96);
        c3[v] = lo0;
      }
      k0 += kW0;
      k1 += kW1;
    }
    for (int v = 0; v < kVectors; ++v) {
      _mm512_storeu_si512(w0 + i + v * kWidth, c0[v]);
      _mm512_storeu_si512(w1 + i + v * kWidth, c1[v]);
    }
  }
}

Kernel kernel_of(PhiloxKernel kernel) {
  switch (kernel) {
    case PhiloxKernel::avx512:
      return avx512;
    case PhiloxKernel::avx2:
      return avx2;
    case PhiloxKernel::portable:
      break;
  }
  return portable;
}

Kernel best_kernel() {
  for (PhiloxKernel k : {PhiloxKernel::avx512, PhiloxKernel::avx2}) {
    if (supported(k)) return kernel_of(k);
  }
  return portable;
}

}  // namespace

bool supported(PhiloxKernel kernel) {
  switch (kernel) {
    case PhiloxKernel::avx512:
      return __builtin_cpu_supports("avx512f");
    case PhiloxKernel::avx2:
      return __builtin_cpu_supports("avx2");
    case PhiloxKernel::portable:
      break;
  }
  return true;
}

void philox_words01(PhiloxKernel kernel, const Philox::key_type& key, std::uint32_t first,
                    std::uint32_t step, Decision kind, int n, std::uint32_t* w0,
                    std::uint32_t* w1) {
  kernel_of(kernel)(key, first, step, kind, n, w0, w1);
}

void philox_words01(const Philox::key_type& key, std::uint32_t first, std::uint32_t step,
                    Decision kind, int n, std::uint32_t* w0, std::uint32_t* w1) {
  static const Kernel best = best_kernel();
  best(key, first, step, kind, n, w0, w1);
}

}  // namespace flywheel::model
